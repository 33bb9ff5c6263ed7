"""Checking and normalising single cells (no database needed)."""

import datetime as dt

import pytest

from catalog.datastore import CellError, Column, check_identifier, normalise
from tests.catalog.test_datastore_support import bad_check_digit, make_id, make_uscc


def col(type_, **kw):
    return Column("c", "列", type_, **kw)


def reason(column, value, **kw):
    with pytest.raises(CellError) as info:
        normalise(column, value, **kw)
    return info.value.reason


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_empty_cells_are_null(value):
    for type_ in ("string", "integer", "id_number", "date"):
        assert normalise(col(type_), value) is None


def test_string_length_and_nul():
    assert normalise(col("string", length=3), " 张三丰 ") == "张三丰"
    assert "超过上限 3" in reason(col("string", length=3), "张三丰啊")
    assert "空字符" in reason(col("string"), "a\x00b")


@pytest.mark.parametrize(
    "value,expected",
    [
        ("12", "12"),
        ("-7", "-7"),
        ("+3", "3"),
        ("１２", "12"),
        ("1,234", "1234"),
        ("5.0", "5"),
        (42, "42"),
        (42.0, "42"),
        ("9223372036854775807", "9223372036854775807"),
    ],
)
def test_integer_ok(value, expected):
    assert normalise(col("integer"), value) == expected


@pytest.mark.parametrize("value", ["1.5", "abc", "1e3", "12,34", True, 1.5, "0x10"])
def test_integer_refused(value):
    assert reason(col("integer"), value) == "应为整数"


def test_integer_range():
    assert reason(col("integer"), "9223372036854775808") == "超出整数范围"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("12.50", "12.50"),
        ("-0.5", "-0.5"),
        (".5", "0.5"),
        ("1e3", "1000"),
        ("1,234.5", "1234.5"),
        (0.1, "0.1"),
        (3, "3"),
    ],
)
def test_decimal_ok(value, expected):
    assert normalise(col("decimal"), value) == expected


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1.2.3", "abc", "1e999999", float("nan")])
def test_decimal_refused(value):
    assert reason(col("decimal"), value) in ("应为数值", "数值超出范围")


def test_decimal_digits():
    assert normalise(col("decimal", length=4), "12.34") == "12.34"
    assert "超过上限 4 位" in reason(col("decimal", length=4), "123.45")


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-05",
        "2024/1/5",
        "2024.01.05",
        "20240105",
        "2024年1月5日",
        "2024 年 01 月 05 日",
        "２０２４－０１－０５",
        "2024-01-05 00:00:00",
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5),
    ],
)
def test_date_ok(value):
    assert normalise(col("date"), value) == "2024-01-05"


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2024-13-01",
        "05/01/2024",
        "2024-1-5x",
        "2024/01-05",
        45000,
        dt.datetime(2024, 1, 5, 10, 30),
        "昨天",
    ],
)
def test_date_refused(value):
    assert reason(col("date"), value)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-01-05 08:30", "2024-01-05T08:30:00+08:00"),
        ("2024-01-05T08:30:15.5", "2024-01-05T08:30:15.500000+08:00"),
        ("2024/1/5 8:30:00", "2024-01-05T08:30:00+08:00"),
        ("2024年1月5日 8时30分", "2024-01-05T08:30:00+08:00"),
        ("2024-01-05T00:30:00Z", "2024-01-05T00:30:00+00:00"),
        ("2024-01-05 08:30:00+09:00", "2024-01-05T08:30:00+09:00"),
        ("20240105", "2024-01-05T00:00:00+08:00"),
        (dt.datetime(2024, 1, 5, 8, 30), "2024-01-05T08:30:00+08:00"),
    ],
)
def test_datetime_ok(value, expected):
    assert normalise(col("datetime"), value) == expected


@pytest.mark.parametrize("value", ["2024-01-05 25:00", "2024-01-05 8", "noon", "2024-01-05 08:61"])
def test_datetime_refused(value):
    assert reason(col("datetime"), value)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("是", "t"),
        ("否", "f"),
        ("TRUE", "t"),
        ("false", "f"),
        ("1", "t"),
        ("0", "f"),
        ("Y", "t"),
        ("n", "f"),
        (True, "t"),
        (0, "f"),
    ],
)
def test_boolean(value, expected):
    assert normalise(col("boolean"), value) == expected


def test_boolean_refused():
    assert "应为是/否" in reason(col("boolean"), "也许")


def test_id_number():
    good = make_id(1)
    assert normalise(col("id_number"), good) == good
    assert normalise(col("id_number"), good[:-1] + good[-1].lower()) == good
    x = next(make_id(n) for n in range(1000) if make_id(n).endswith("X"))
    assert normalise(col("id_number"), x.lower()) == x
    assert reason(col("id_number"), bad_check_digit(good)) == "校验位错误"
    assert "应为 18 位" in reason(col("id_number"), good[:-1])
    assert "格式错误" in reason(col("id_number"), "11010119900307A51X")
    assert reason(col("id_number"), make_id(1, born="19901307")) == "出生日期无效"
    assert reason(col("id_number"), make_id(1, born="20991231")) == "出生日期无效"
    assert reason(col("id_number"), make_id(1, region="000000")) == "地区码无效"


def test_id_number_from_excel_number():
    good = next(make_id(n) for n in range(1000) if not make_id(n).endswith("X"))
    assert "文本格式" in reason(col("id_number"), float(good))
    assert normalise(col("id_number"), int(good)) == good


def test_uscc():
    good = make_uscc(42)
    assert normalise(col("uscc"), good.lower()) == good
    assert normalise(col("uscc"), good[:6] + "-" + good[6:]) == good
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert reason(col("uscc"), wrong) == "校验位错误"
    assert "应为 18 位" in reason(col("uscc"), good[:10])
    assert reason(col("uscc"), "9111010I" + good[8:]) == "格式错误"


def test_phone():
    assert normalise(col("phone"), "13800138000") == "13800138000"
    assert normalise(col("phone"), "+86 138 0013 8000") == "13800138000"
    assert normalise(col("phone"), 13800138000.0) == "13800138000"
    assert normalise(col("phone"), "010-12345678") == "010-12345678"
    assert normalise(col("phone"), "0571-88888888-123") == "0571-88888888-123"
    assert normalise(col("phone"), "12345") == "12345"
    assert reason(col("phone"), "12800138000") == "手机号码格式错误"
    assert reason(col("phone"), "1380013800") == "手机号码格式错误"
    assert "电话号码格式错误" in reason(col("phone"), "tel:110")
    assert "电话号码格式错误" in reason(col("phone"), "010--1234567")


def test_excel_error_values_refused_from_xlsx_only():
    assert "Excel 错误值" in reason(col("string"), "#N/A", from_xlsx=True)
    assert normalise(col("string"), "#N/A") == "#N/A"


@pytest.mark.parametrize("bad", ['a"b', "t;drop table x", "T", "1abc", "_row", "a b", "ä", "a" * 64, "", None, "a-b"])
def test_identifiers_refused(bad):
    with pytest.raises(ValueError):
        check_identifier(bad)
    with pytest.raises(ValueError):
        Column(bad, "名称", "string")


def test_column_checks():
    with pytest.raises(ValueError):
        Column("a", "名称", "money")
    with pytest.raises(ValueError):
        Column("a", " ", "string")
    with pytest.raises(ValueError):
        Column("a", "名称", "string", length=0)
    assert check_identifier("a" * 63) == "a" * 63
