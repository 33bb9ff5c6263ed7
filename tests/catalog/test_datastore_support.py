"""Shared helpers of the datastore tests (imported by the other test_datastore_* modules):
valid ID numbers and credit codes made with stdnum's check digit functions and file writers. The
`table` fixture (each test its own table name, dropped afterwards) is in tests/catalog/conftest.py."""

import csv

from stdnum.cn import ric, uscc

from catalog import datastore
from catalog.datastore import Column


def make_id(n: int, born: str = "19900307", region: str = "110101") -> str:
    """A valid 18-digit resident ID number; n picks the sequence code."""
    body = f"{region}{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def bad_check_digit(number: str) -> str:
    """The same number with a wrong check digit."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def make_uscc(n: int) -> str:
    """A valid unified social credit code of a company (登记管理部门 9, 企业 1)."""
    body = f"91110108{n:09d}"
    return body + uscc.calc_check_digit(body)


PEOPLE = [
    Column("id_no", "身份证号", "id_number", required=True),
    Column("name", "姓名", "string", length=20, required=True),
    Column("born", "出生日期", "date"),
    Column("amount", "补贴金额", "decimal"),
    Column("children", "子女数", "integer"),
    Column("mobile", "联系电话", "phone"),
    Column("employer", "单位代码", "uscc"),
    Column("insured", "是否参保", "boolean"),
    Column("registered_at", "登记时间", "datetime"),
]
HEADER = [c.name for c in PEOPLE]


def person(n: int) -> list[str]:
    return [
        make_id(n),
        f"张三{n}",
        "1990-03-07",
        f"{n}.50",
        str(n % 4),
        f"138{n:08d}",
        make_uscc(n),
        "是",
        "2024-01-05 08:30:00",
    ]


def write_csv(path, rows, *, encoding="utf-8", header=HEADER):
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def datastore_tables(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [datastore.SCHEMA])
        return {name for (name,) in cursor.fetchall()}


def test_generated_numbers_are_valid():
    assert ric.is_valid(make_id(7))
    assert not ric.is_valid(bad_check_digit(make_id(7)))
    assert uscc.is_valid(make_uscc(123))
