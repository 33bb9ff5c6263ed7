"""Reading data tables: preview, query_rows (filters, order, pages), copy_to and stream_csv."""

import csv
import io
import time

import psycopg2
import pytest
from django.db import connection

from catalog import datastore
from catalog.datastore import Column, copy_to, load_file, preview, query_rows, stream_csv
from tests.catalog.test_datastore_support import (
    PEOPLE,
    bad_check_digit,
    make_id,
    make_uscc,
    person,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tmp_path, table):
    rows = [person(n) for n in range(1, 26)]
    rows[3][2] = "1985/6/1"
    rows[4][2] = "1985年6月1日"
    rows[5][4] = ""
    result = load_file(write_csv(tmp_path / "p.csv", rows), filename="p.csv", columns=PEOPLE, table=table)
    assert result.ok
    return table


def test_preview_first_rows_json_friendly(people):
    rows = preview(people, PEOPLE, limit=3)
    assert [r["name"] for r in rows] == ["张三1", "张三2", "张三3"]
    assert rows[0]["amount"] == "1.50" and rows[0]["born"] == "1990-03-07" and rows[0]["children"] == 1
    assert rows[0]["registered_at"] == "2024-01-05T08:30:00+08:00"
    assert preview(people, PEOPLE[:2], limit=0) == []
    assert list(preview(people, [PEOPLE[1]], limit=1)[0]) == ["name"]


def test_query_rows_pages_and_totals(people):
    rows, total = query_rows(people, PEOPLE, page=1, page_size=10)
    assert total == 25 and [r["name"] for r in rows] == [f"张三{n}" for n in range(1, 11)]
    rows, total = query_rows(people, PEOPLE, page=3, page_size=10)
    assert total == 25 and [r["name"] for r in rows] == [f"张三{n}" for n in range(21, 26)]
    assert query_rows(people, PEOPLE, page=4, page_size=10) == ([], 25)


def test_query_rows_only_the_given_columns(people):
    rows, _ = query_rows(people, [PEOPLE[1], PEOPLE[4]], page_size=1)
    assert rows == [{"name": "张三1", "children": 1}]


def test_query_rows_filters_cast_to_the_column_type(people):
    rows, total = query_rows(people, PEOPLE, filters={"born": "1985-06-01"})
    assert total == 2 and [r["name"] for r in rows] == ["张三4", "张三5"]
    assert query_rows(people, PEOPLE, filters={"born": "19850601"})[1] == 2
    assert query_rows(people, PEOPLE, filters={"children": "２"})[1] == 5  # 2, 10, 14, 18, 22 (6 has none)
    assert query_rows(people, PEOPLE, filters={"children": "2", "born": "1990-03-07"})[1] == 5
    assert query_rows(people, PEOPLE, filters={"id_no": make_id(7).lower()})[0][0]["name"] == "张三7"
    assert query_rows(people, PEOPLE, filters={"employer": make_uscc(9)})[1] == 1
    assert query_rows(people, PEOPLE, filters={"insured": "是"})[1] == 25
    assert query_rows(people, PEOPLE, filters={"amount": "3.5"})[1] == 1
    assert query_rows(people, PEOPLE, filters={"name": "张三1' OR '1'='1"})[1] == 0
    assert query_rows(people, PEOPLE, filters={"children": "", "name": None})[1] == 25


def test_bad_filter_values_and_keys(people):
    with pytest.raises(ValueError, match="筛选条件「出生日期」无效：应为日期"):
        query_rows(people, PEOPLE, filters={"born": "yesterday"})
    with pytest.raises(ValueError, match="筛选条件「身份证号」无效：校验位错误"):
        query_rows(people, PEOPLE, filters={"id_no": bad_check_digit(make_id(7))})
    with pytest.raises(ValueError, match="不能按"):
        query_rows(people, PEOPLE[:2], filters={"born": "1990-03-07"})  # not among the granted columns
    with pytest.raises(ValueError, match="不能按"):
        query_rows(people, PEOPLE, filters={'name" = name OR "1': "x"})


def test_order_by(people):
    rows, _ = query_rows(people, PEOPLE, order_by="-amount", page_size=3)
    assert [r["name"] for r in rows] == ["张三25", "张三24", "张三23"]
    rows, _ = query_rows(people, PEOPLE, order_by="children", page_size=7)
    assert [r["children"] for r in rows] == [0] * 6 + [1]
    with pytest.raises(ValueError, match="不能按"):
        query_rows(people, PEOPLE[:2], order_by="amount")
    with pytest.raises(ValueError, match="不能按"):
        query_rows(people, PEOPLE, order_by="amount; DROP TABLE x")


def test_bad_pages(people):
    for kw in ({"page": 0}, {"page_size": 0}, {"page_size": 100_000}, {"page": "1"}):
        with pytest.raises(ValueError):
            query_rows(people, PEOPLE, **kw)


def test_hostile_identifiers_refused_by_readers(people):
    for name in ['x"; DROP TABLE portal_user; --', "a;b", "X"]:
        with pytest.raises(ValueError):
            preview(name, PEOPLE)
        with pytest.raises(ValueError):
            query_rows(name, PEOPLE)
        with pytest.raises(ValueError):
            copy_to(name, PEOPLE, io.BytesIO())
    assert datastore.row_count(people) == 25


def test_copy_to_neutralises_formulas(tmp_path, table):
    columns = [
        Column("name", "=名称", "string"),
        Column("note", "备注", "string"),
        Column("n", "数", "decimal"),
        Column("tel", "电话", "phone"),
    ]
    rows = [
        ["=1+1", "+SUM(A1)", "-5", "13800138000"],
        ["-cmd|' /C calc'!A0", "@x", "1.5", "010-1234567"],
        ["普通", "a=b", "", ""],
        ['"引号"', "\t=tab", "", ""],
    ]
    assert load_file(
        write_csv(tmp_path / "f.csv", rows, header=["=名称", "备注", "数", "电话"]),
        filename="f.csv",
        columns=columns,
        table=table,
    ).ok
    out = io.BytesIO()
    copy_to(table, columns, out)
    data = out.getvalue().decode("utf-8")
    assert list(csv.reader(io.StringIO(data))) == [
        ["'=名称", "备注", "数", "电话"],
        ["'=1+1", "'+SUM(A1)", "-5", "13800138000"],
        ["'-cmd|' /C calc'!A0", "'@x", "1.5", "010-1234567"],
        ["普通", "a=b", "", ""],
        ['"引号"', "'=tab", "", ""],  # surrounding whitespace is trimmed on load
    ]
    with connection.cursor() as cursor:  # rows that came in some other way are neutralised too
        cursor.execute(f'INSERT INTO datastore."{table}" (_line, name, note) VALUES (9, %s, %s)', ["\t=1", "\r=2"])
    out = io.BytesIO()
    copy_to(table, columns[:2], out)
    assert list(csv.reader(io.StringIO(out.getvalue().decode(), newline="")))[-1] == ["'\t=1", "'\r=2"]


def test_copy_to_formats_keys_header_and_bom(people):
    out = io.BytesIO()
    copy_to(people, PEOPLE, out, header_names=False, bom=True)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbfid_no,name,born,")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    assert lines[1] == ",".join(
        [make_id(1), "张三1", "1990-03-07", "1.50", "1", "13800000001", make_uscc(1), "true", "2024-01-05 08:30:00"]
    )
    text = io.StringIO()
    copy_to(people, PEOPLE[:3], text, filters={"born": "1985-06-01"})
    assert text.getvalue().splitlines() == [
        "身份证号,姓名,出生日期",
        f"{make_id(4)},张三4,1985-06-01",
        f"{make_id(5)},张三5,1985-06-01",
    ]


@pytest.mark.django_db(transaction=True)
def test_stream_csv_matches_copy_to(tmp_path, table):
    rows = [person(n) for n in range(3000)]
    assert load_file(write_csv(tmp_path / "p.csv", rows), filename="p.csv", columns=PEOPLE, table=table).ok
    out = io.BytesIO()
    copy_to(table, PEOPLE, out, bom=True)
    chunks = list(stream_csv(table, PEOPLE, bom=True, chunk_size=4096))
    assert len(chunks) > 10 and all(len(c) <= 4096 * 2 for c in chunks[1:])
    assert b"".join(chunks) == out.getvalue()


def _sessions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_stream_csv_closed_early_cancels_and_closes_its_connection(tmp_path, table):
    rows = [person(n) for n in range(20_000)]
    assert load_file(write_csv(tmp_path / "p.csv", rows), filename="p.csv", columns=PEOPLE, table=table).ok
    before = _sessions()
    stream = stream_csv(table, PEOPLE, chunk_size=1024, queue_size=2)
    assert next(stream).startswith("身份证号".encode())
    assert next(stream)
    assert _sessions() == before + 1
    stream.close()
    deadline = time.monotonic() + 10  # a closed session leaves pg_stat_activity a moment later
    while _sessions() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _sessions() == before
    with connection.cursor() as cursor:  # the request's own connection was never touched
        cursor.execute("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_stream_csv_raises_database_errors():
    with pytest.raises(psycopg2.errors.UndefinedTable):
        list(stream_csv("no_such_table", PEOPLE))
