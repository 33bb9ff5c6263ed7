"""Hostile and broken files: each gives a clear Chinese error and leaves no table behind."""

import os
import random
import zipfile

import openpyxl
import pytest
from django.db import connection

from catalog import datastore
from catalog.datastore import Column, load_file
from tests.catalog.test_datastore_support import (
    HEADER,
    PEOPLE,
    datastore_tables,
    make_id,
    person,
    write_csv,
)

pytestmark = pytest.mark.django_db

NAMES = [Column("id_no", "身份证号", "id_number"), Column("name", "姓名", "string")]


def refused(path, table, filename=None, columns=PEOPLE):
    before = datastore_tables(connection)
    result = load_file(path, filename=filename or path.name, columns=columns, table=table)
    assert not result.ok and result.table is None
    assert result.error_count >= 1 and result.errors
    assert not datastore.table_exists(table)
    assert datastore_tables(connection) == before
    return result.errors[0]


def test_binary_garbage_named_csv(tmp_path, table):
    path = tmp_path / "data.csv"
    path.write_bytes(random.Random(1).randbytes(200_000))
    error = refused(path, table)
    assert "空字符" in error.message or "编码" in error.message


def test_binary_garbage_without_nul_bytes(tmp_path, table):
    data = bytes(b or 0xFF for b in random.Random(2).randbytes(200_000))
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    error = refused(path, table)
    assert "无法识别文件编码" in error.message


def test_nul_bytes_refused_with_their_line(tmp_path, table):
    path = tmp_path / "a.csv"
    path.write_bytes(("身份证号,姓名\n" + make_id(1) + ",张三\n").encode() + b"x,\x00y\n")
    error = refused(path, table, columns=NAMES)
    assert error.line == 3
    assert error.message == "第 3 行：文件含有空字符（NUL），可能是二进制文件而不是 CSV 文本文件"


def test_utf16_and_disguised_files(tmp_path, table):
    path = tmp_path / "a.csv"
    path.write_bytes("身份证号,姓名\n".encode("utf-16"))
    assert "UTF-16" in refused(path, table).message
    workbook = openpyxl.Workbook()
    workbook.save(tmp_path / "book.xlsx")
    os.replace(tmp_path / "book.xlsx", path)
    assert "不是 CSV 文件" in refused(path, table).message


def test_damaged_utf8_is_not_read_as_gbk(tmp_path, table):
    path = tmp_path / "a.csv"
    text = "身份证号,姓名\n" + "".join(f"{make_id(n)},中文姓名{n}\n" for n in range(20))
    path.write_bytes(text.encode("utf-8") + b"\xff\xfe,x\n")
    error = refused(path, table, columns=NAMES)
    assert "UTF-8" in error.message and error.line == 22


def test_unsupported_file_types(tmp_path, table):
    path = write_csv(tmp_path / "a.csv", [person(1)])
    assert refused(path, table, filename="a.xls").message == "不支持 .xls 文件，请另存为 .xlsx 或 CSV 后上传"
    assert "不支持的文件类型" in refused(path, table, filename="a.txt").message
    assert "不支持的文件类型" in refused(path, table, filename="csv").message


def test_empty_file(tmp_path, table):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    assert refused(path, table).message == "文件为空"
    path.write_bytes(b"\n\n,,,\n")
    assert "没有表头" in refused(path, table).message


def test_ten_thousand_columns(tmp_path, table):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n")
    error = refused(path, table)
    assert error.line == 1 and error.message == "第 1 行：表头有 10000 列，超过上限 500 列"


def test_ten_thousand_cells_in_a_data_row(tmp_path, table):
    path = tmp_path / "wide.csv"
    path.write_text("身份证号,姓名\n" + ",".join(["x"] * 10_000) + "\n", encoding="utf-8")
    error = refused(path, table, columns=NAMES)
    assert error.message == "第 2 行：有 10000 列，超过上限 500 列"


def test_huge_single_field(tmp_path, table):
    path = tmp_path / "a.csv"
    path.write_text(f'身份证号,姓名\n{make_id(1)},"{"长" * 2_000_000}"\n', encoding="utf-8")
    error = refused(path, table, columns=NAMES)
    assert error.line == 2 and "单元格超过 1048576 个字符" in error.message


def test_huge_line_without_line_breaks(tmp_path, table, settings):
    settings.DATASTORE = {"MAX_LINE_SIZE": 100_000}
    path = tmp_path / "a.csv"
    path.write_text("身份证号,姓名\n" + "x," * 200_000, encoding="utf-8")
    error = refused(path, table, columns=NAMES)
    assert error.line == 2 and "超过 100000 个字符" in error.message


def test_an_unclosed_quote_does_not_swallow_the_file(tmp_path, table, settings):
    settings.DATASTORE = {"MAX_FIELD_SIZE": 1000}
    path = tmp_path / "a.csv"
    path.write_text('身份证号,姓名\n"' + "x\n" * 5000, encoding="utf-8")
    error = refused(path, table, columns=NAMES)
    assert error.line == 2 and "单元格超过 1000 个字符（或引号未闭合）" in error.message


def test_too_many_rows(tmp_path, table, settings):
    settings.DATASTORE = {"MAX_ROWS": 5}
    error = refused(write_csv(tmp_path / "a.csv", [person(n) for n in range(10)]), table)
    assert error.line == 7 and "超过 5 行的上限" in error.message


def test_zip_bomb_xlsx(tmp_path, table):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                member.write(block)
    assert path.stat().st_size < 1024 * 1024
    assert "压缩炸弹" in refused(path, table).message


def test_xlsx_over_the_uncompressed_limit(tmp_path, table, settings):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    settings.DATASTORE = {"MAX_XLSX_UNCOMPRESSED": 1000}
    assert "解压后" in refused(path, table).message


def test_damaged_xlsx(tmp_path, table):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    assert "不是有效的 Excel" in refused(path, table).message
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "无法读取 Excel 文件" in refused(path, table).message


@pytest.mark.parametrize("name", ['x"; DROP TABLE portal_user; --', "a;b", "Robert'); --", "datastore.x", "T1", ""])
def test_hostile_table_names_refused(tmp_path, name):
    path = write_csv(tmp_path / "a.csv", [person(1)])
    with pytest.raises(ValueError):
        load_file(path, filename="a.csv", columns=PEOPLE, table=name)
    for call in (datastore.drop_table, datastore.table_exists, datastore.row_count):
        with pytest.raises(ValueError):
            call(name)
