"""load_file on a real PostgreSQL: encodings, XLSX, refused rows, all-or-nothing, memory."""

import datetime as dt
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection, transaction

from catalog import datastore
from catalog.datastore import Column, load_file
from tests.catalog.test_datastore_support import (
    HEADER,
    PEOPLE,
    bad_check_digit,
    datastore_tables,
    make_id,
    make_uscc,
    person,
    write_csv,
)

pytestmark = pytest.mark.django_db


def load(path, table, columns=PEOPLE, **kw):
    return load_file(path, filename=kw.pop("filename", path.name), columns=columns, table=table, **kw)


def messages(result):
    return [e.message for e in result.errors]


def test_gbk_file_with_chinese_headers_loads(tmp_path, table):
    path = write_csv(tmp_path / "人口.csv", [person(1), person(2), person(3)], encoding="gbk")
    result = load(path, table)
    assert result.ok, messages(result)
    assert (result.table, result.row_count, result.error_count, result.encoding) == (table, 3, 0, "gb18030")
    assert datastore.row_count(table) == 3
    first = datastore.preview(table, PEOPLE, limit=1)[0]
    assert first == {
        "id_no": make_id(1),
        "name": "张三1",
        "born": "1990-03-07",
        "amount": "1.50",
        "children": 1,
        "mobile": "13800000001",
        "employer": make_uscc(1),
        "insured": True,
        "registered_at": "2024-01-05T08:30:00+08:00",
    }


def test_utf8_with_bom_loads_and_keys_work_as_headers(tmp_path, table):
    header = [c.key.upper() if i % 2 else c.name for i, c in enumerate(PEOPLE)]
    path = write_csv(tmp_path / "bom.csv", [person(1)], encoding="utf-8-sig", header=header)
    result = load(path, table)
    assert result.ok, messages(result)
    assert result.encoding == "utf-8-sig"
    assert datastore.preview(table, PEOPLE)[0]["name"] == "张三1"


def test_plain_utf8_and_typed_table(tmp_path, table):
    result = load(write_csv(tmp_path / "a.csv", [person(5)]), table)
    assert result.ok and result.encoding == "utf-8"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            [datastore.SCHEMA, table],
        )
        types = cursor.fetchall()
        cursor.execute(f'SELECT _row, _line, amount, born FROM datastore."{table}"')
        row = cursor.fetchone()
    assert types[0] == ("_row", "bigint", "NO")
    assert types[1] == ("_line", "bigint", "YES")  # the row's line in the file (header = 1)
    assert {n: t for n, t, _ in types[2:]} == {
        "id_no": "text",
        "name": "text",
        "born": "date",
        "amount": "numeric",
        "children": "bigint",
        "mobile": "text",
        "employer": "text",
        "insured": "boolean",
        "registered_at": "timestamp with time zone",
    }
    assert ("id_no", "text", "NO") in types and ("born", "date", "YES") in types
    assert row == (1, 2, Decimal("5.50"), dt.date(1990, 3, 7))


def test_xlsx_loads_with_excel_dates(tmp_path, table):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [
            make_id(1),
            "李四",
            dt.date(1990, 3, 7),
            12.5,
            2,
            13800138000,
            make_uscc(1),
            True,
            dt.datetime(2024, 1, 5, 8, 30),
        ]
    )
    sheet.append([])  # an empty row is skipped, the line numbers still count it
    sheet.append([make_id(2), "王五", "1990/3/7", None, None, None, None, "否", None])
    path = tmp_path / "人口.xlsx"
    workbook.save(path)
    result = load(path, table)
    assert result.ok, messages(result)
    assert (result.row_count, result.encoding, result.kind) == (2, None, "xlsx")
    rows = datastore.preview(table, PEOPLE)
    assert rows[0]["born"] == "1990-03-07" and rows[0]["amount"] == "12.5" and rows[0]["mobile"] == "13800138000"
    assert rows[0]["registered_at"] == "2024-01-05T08:30:00+08:00" and rows[0]["insured"] is True
    assert rows[1]["name"] == "王五" and rows[1]["insured"] is False and rows[1]["amount"] is None


def test_xlsx_errors_carry_excel_row_numbers(tmp_path, table):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([make_id(1), "李四"])
    sheet.append([])
    sheet.append([float(make_id(2)[:17] + "1"), "王五"])  # an ID number typed as an Excel number
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    result = load(path, table)
    assert not result.ok
    [error] = result.errors
    assert (error.line, error.column) == (4, "身份证号") and "文本格式" in error.message


def test_bad_id_check_digit_refused_with_line(tmp_path, table):
    rows = [person(n) for n in range(1, 15)]
    rows[10][0] = bad_check_digit(rows[10][0])  # file line 12
    result = load(write_csv(tmp_path / "a.csv", rows), table)
    assert not result.ok and result.table is None
    assert result.error_count == 1 and result.rejected_rows == 1 and result.row_count == 14
    [error] = result.errors
    assert (error.line, error.column, error.value, error.reason) == (12, "身份证号", rows[10][0], "校验位错误")
    assert error.message == "第 12 行「身份证号」：校验位错误"
    assert not datastore.table_exists(table)


def test_bad_credit_code_refused(tmp_path, table):
    rows = [person(1), person(2)]
    rows[1][6] = rows[1][6][:-1] + ("0" if rows[1][6][-1] != "0" else "1")
    result = load(write_csv(tmp_path / "a.csv", rows), table)
    assert not result.ok
    assert messages(result) == ["第 3 行「单位代码」：校验位错误"]
    assert not datastore.table_exists(table)


def test_required_value_missing_refused(tmp_path, table):
    rows = [person(1), person(2)]
    rows[0][1] = "  "
    result = load(write_csv(tmp_path / "a.csv", rows), table)
    assert messages(result) == ["第 2 行「姓名」：必填项为空"]


def test_wrong_type_refused_with_line_and_column(tmp_path, table):
    rows = [person(n) for n in range(1, 4)]
    rows[1][4] = "两个"
    rows[2][2] = "1990-02-30"
    result = load(write_csv(tmp_path / "a.csv", rows), table)
    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (3, "子女数", "应为整数"),
        (4, "出生日期", "日期无效"),
    ]
    assert result.error_count == 2 and result.rejected_rows == 2


def test_wrong_number_of_cells_refused(tmp_path, table):
    path = tmp_path / "a.csv"
    good = ",".join(person(1))
    path.write_text(
        "\n".join([",".join(HEADER), good, good + ",extra", ",".join(person(2)[:5]), good + ",,", ""]), encoding="utf-8"
    )
    result = load(path, table)
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "有 10 列，多于表头的 9 列"),
        (4, "有 5 列，少于表头的 9 列"),
    ]


def test_header_errors_on_line_1(tmp_path, table):
    header = ["身份证号", "年龄", "身份证号", "", "出生日期", "", " "]  # empty cells at the end are ignored
    result = load(write_csv(tmp_path / "a.csv", [["1", "2", "3", "4", "5"]], header=header), table)
    assert not result.ok
    assert all(e.line == 1 for e in result.errors)
    assert messages(result) == [
        "第 1 行「年龄」：表头与资源的信息项不匹配",
        "第 1 行「身份证号」：表头重复（第 1 列和第 3 列）",
        "第 1 行：第 4 列的表头为空",
        "第 1 行「姓名」：缺少必填的信息项",
    ]


def test_optional_columns_may_be_left_out(tmp_path, table):
    result = load(write_csv(tmp_path / "a.csv", [[make_id(1), "赵六"]], header=["身份证号", "姓名"]), table)
    assert result.ok
    assert datastore.preview(table, PEOPLE)[0]["born"] is None


def test_line_numbers_count_multiline_cells_and_blank_lines(tmp_path, table):
    path = tmp_path / "a.csv"
    text = f'身份证号,姓名\n{make_id(1)},"第一行\n第二行"\n\n{bad_check_digit(make_id(2))},王五\n'
    path.write_text(text, encoding="utf-8")
    result = load(path, table, columns=PEOPLE[:2])
    assert [(e.line, e.column) for e in result.errors] == [(5, "身份证号")]
    assert result.row_count == 2


def test_values_with_tabs_backslashes_and_newlines_survive(tmp_path, table):
    odd = 'a\tb\\N "q" \\.\r\nend'
    result = load(
        write_csv(tmp_path / "a.csv", [[make_id(1), odd]], header=["身份证号", "姓名"]),
        table,
        columns=[PEOPLE[0], Column("name", "姓名", "string")],
    )
    assert result.ok
    assert datastore.preview(table, [Column("name", "姓名", "string")]) == [{"name": odd.strip()}]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_only_file_is_refused_and_leaves_no_table(tmp_path, table, kind):
    """SECURITY.md 14.21: a file with its header and no data rows loaded as an empty table."""
    if kind == "csv":
        path = tmp_path / "a.csv"
        path.write_text("\n".join([",".join(HEADER), "", ",,,", ""]), encoding="utf-8")  # blank lines only after it
    else:
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER)
        workbook.active.append([])
        path = tmp_path / "a.xlsx"
        workbook.save(path)
    result = load(path, table)
    assert not result.ok and result.table is None and result.row_count == 0
    assert messages(result) == ["文件只有表头（第 1 行），没有数据行；请在表头下方填写数据后重新上传"]
    assert not datastore.table_exists(table)


def test_rows_keep_the_line_of_the_file_they_came_from(tmp_path, table):
    """SECURITY.md 14.21: the table keeps each row's file line (blank lines and multi-line cells counted), so
    that the personal-data check names the line the loader would."""
    spread = person(2)
    spread[1] = '"张\n三"'  # a quoted cell over two lines: the row starts on line 6, the next on line 8
    lines = [",".join(HEADER), "", ",".join(person(1)), "", "", ",".join(spread), ",".join(person(3))]
    text = "\n".join(lines) + "\n"
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    assert load(path, table).ok
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT _row, _line FROM datastore."{table}" ORDER BY _row')
        assert cursor.fetchall() == [(1, 3), (2, 6), (3, 8)]


def test_errors_beyond_max_errors_are_counted(tmp_path, table):
    rows = [person(n) for n in range(60)]
    for row in rows[:50]:
        row[3] = "很多"
    result = load(write_csv(tmp_path / "a.csv", rows), table, max_errors=10)
    assert len(result.errors) == 10 and result.error_count == 50 and result.rejected_rows == 50
    assert [e.line for e in result.errors] == list(range(2, 12))


def test_failed_load_leaves_nothing_behind(tmp_path, table, settings):
    staging = tmp_path / "staging"
    staging.mkdir()
    settings.DATASTORE = {"TEMP_DIR": str(staging)}
    before = datastore_tables(connection)
    rows = [person(n) for n in range(100)]
    rows[99][0] = "110101"
    result = load(write_csv(tmp_path / "a.csv", rows), table)
    assert not result.ok and result.table is None
    assert datastore_tables(connection) == before
    assert list(staging.iterdir()) == []
    assert load(write_csv(tmp_path / "b.csv", rows[:99]), table).ok
    assert list(staging.iterdir()) == []
    assert datastore_tables(connection) == before | {table}


def test_existing_table_is_not_overwritten(tmp_path, table):
    assert load(write_csv(tmp_path / "a.csv", [person(1)]), table).ok
    with pytest.raises(ValueError, match="已存在"):
        load(write_csv(tmp_path / "b.csv", [person(2)]), table)
    assert datastore.row_count(table) == 1


def test_progress_is_reported(tmp_path, table, settings):
    settings.DATASTORE = {"PROGRESS_EVERY": 10}
    calls = []
    result = load(write_csv(tmp_path / "a.csv", [person(n) for n in range(35)]), table, progress=calls.append)
    assert result.ok and calls == [10, 20, 30, 35]


def test_row_numbers_follow_load_order(tmp_path, table):
    assert load(write_csv(tmp_path / "a.csv", [person(n) for n in range(1, 6)]), table).ok
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT _row, name FROM datastore."{table}" ORDER BY _row')
        assert cursor.fetchall() == [(n, f"张三{n}") for n in range(1, 6)]


@pytest.mark.django_db(transaction=True)
def test_caller_rollback_removes_the_table(tmp_path, table):
    path = write_csv(tmp_path / "a.csv", [person(1), person(2)])
    with pytest.raises(RuntimeError), transaction.atomic():
        result = load(path, table)
        assert result.ok and datastore.table_exists(table)
        raise RuntimeError("the caller fails after the load")
    assert not datastore.table_exists(table)
    with transaction.atomic():
        assert load(path, table).ok
    assert datastore.table_exists(table) and datastore.row_count(table) == 2


@pytest.mark.django_db(transaction=True)
def test_failed_load_keeps_the_callers_transaction_usable(tmp_path, table):
    with transaction.atomic():
        result = load(write_csv(tmp_path / "a.csv", [["x"] * 9]), table)
        assert not result.ok
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)


def test_200000_rows_load_with_flat_memory(tmp_path, table):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER[:4]) + "\n")
        ids = [make_id(n) for n in range(1000)]
        for n in range(200_000):
            f.write(f"{ids[n % 1000]},居民{n:06d}的姓名字段,1990-03-{n % 28 + 1:02d},{n}.25\n")
    size = path.stat().st_size
    calls = []
    tracemalloc.start()
    try:
        result = load(path, table, progress=calls.append)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok, messages(result)
    assert result.row_count == 200_000 and datastore.row_count(table) == 200_000
    assert calls[-1] == 200_000 and len(calls) == 21
    assert size > 10_000_000
    assert peak < size / 10, (peak, size)


def test_load_and_copy_under_djangos_debug_cursor(tmp_path, table):
    """With DEBUG on, Django wraps cursors in CursorDebugWrapper, whose copy_expert takes no keywords."""
    import io

    connection.force_debug_cursor = True
    try:
        assert load(write_csv(tmp_path / "a.csv", [person(1)]), table).ok
        out = io.BytesIO()
        datastore.copy_to(table, PEOPLE, out)
    finally:
        connection.force_debug_cursor = False
    assert out.getvalue().count(b"\n") == 2
