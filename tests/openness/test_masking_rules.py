"""O5: each masking rule gives its documented output (catalog/datastore/masking.py), in SQL."""

import datetime as dt

import pytest
from django.db import connection

from catalog.datastore import Column, masking
from catalog.datastore.masking import Rule, python_hash

pytestmark = pytest.mark.django_db

TEXT = Column(key="v", name="值", type="string")
DATE = Column(key="d", name="日期", type="date")
STAMP = Column(key="t", name="时间", type="datetime")
NUMBER = Column(key="n", name="数", type="integer")


def masked(column, rule, value, salt="s"):
    from psycopg2 import sql

    from catalog.datastore.sql import render

    pg = {"string": "text", "date": "date", "datetime": "timestamptz", "integer": "bigint"}[column.type]
    query = sql.SQL("SELECT {} FROM (SELECT CAST(%s AS {}) AS {}) AS x").format(
        masking.masked_expr(column, rule, salt=salt), sql.SQL(pg), sql.Identifier(column.key)
    )
    with connection.cursor() as cursor:
        cursor.execute(render(query, connection), [value])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "rule, value, expected",
    [
        (Rule("none"), "张三", "张三"),
        (Rule("hide"), "张三", "***"),
        (Rule("hide"), "一个很长的地址", "***"),
        (Rule("keep_first", first=3), "13812345678", "138********"),
        (Rule("keep_first", first=1), "王小明", "王**"),
        (Rule("keep_first", first=1), "张", "*"),  # never given back unchanged
        (Rule("keep_last", last=4), "13812345678", "*******5678"),
        (Rule("keep_first_last", first=6, last=4), "110101199003071234", "110101********1234"),
        (Rule("keep_first_last", first=2, last=2), "abcd", "****"),
        (Rule("hide"), None, None),
        (Rule("keep_first", first=2), None, None),
        (Rule("hash"), None, None),
    ],
)
def test_text_rules(rule, value, expected):
    assert masked(TEXT, rule, value) == expected


def test_hash_is_salted_sha256_of_the_value():
    value = "110101199003071234"
    assert masked(TEXT, Rule("hash"), value, salt="abc") == python_hash(value, "abc")
    assert len(python_hash(value, "abc")) == 64
    assert masked(TEXT, Rule("hash"), value, salt="abc") != masked(TEXT, Rule("hash"), value, salt="xyz")


def test_year_generalises_dates_datetimes_and_date_like_text():
    assert masked(DATE, Rule("year"), dt.date(1990, 3, 7)) == 1990
    # 2019-12-31 20:00 UTC is already 2020 in Asia/Shanghai
    assert masked(STAMP, Rule("year"), dt.datetime(2019, 12, 31, 20, 0, tzinfo=dt.UTC)) == 2020
    assert masked(TEXT, Rule("year"), "2020-05-06") == 2020
    assert masked(TEXT, Rule("year"), "2020年5月") == 2020
    assert masked(TEXT, Rule("year"), "未知") is None


def test_dates_and_numbers_are_masked_as_their_text():
    assert masked(DATE, Rule("keep_first", first=4), dt.date(1990, 3, 7)) == "1990******"
    assert masked(NUMBER, Rule("keep_last", last=2), 13812345678) == "*********78"


@pytest.mark.parametrize(
    "column, rule",
    [
        (NUMBER, Rule("year")),
        (TEXT, Rule("keep_first", first=0)),
        (TEXT, Rule("keep_first_last", first=2, last=0)),
        (TEXT, Rule("keep_last", last=99)),
        (TEXT, Rule("scramble")),
    ],
)
def test_rules_that_do_not_fit_are_refused_in_chinese(column, rule):
    with pytest.raises(ValueError) as info:
        rule.check(column)
    assert "信息项" in str(info.value)


def test_masked_columns_change_type_with_the_rule():
    assert masking.masked_column(DATE, Rule("none")).type == "date"
    assert masking.masked_column(DATE, Rule("year")).type == "integer"
    assert masking.masked_column(DATE, Rule("hide")).type == "string"
