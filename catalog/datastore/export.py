"""Streaming JSON and XLSX downloads of a data table, with constant memory whatever its size.

Both read the rows through a server-side cursor on a connection of their own (same settings as
the Django connection, read-only; so they see committed data only, as stream_csv does) and yield
bytes as they go: nothing holds the whole table, in memory or on disk.

- JSON: {"meta": ..., "fields": [...], "rows": [{key: value}, ...]}, values as query_rows gives
  them (ISO dates, date-times in the portal's time zone, decimals as strings).
- XLSX: a minimal SpreadsheetML workbook written by zipfile into the response stream (entries
  with data descriptors, no seeking). Text cells are inline strings neutralised like the CSV
  download (a leading ' before = + - @, tab, carriage return: sql.export_expr), numbers are
  numbers. A sheet holds at most 1,048,575 data rows; more continue on the next sheet.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape

import psycopg2
from django.db import connection as default_connection
from psycopg2 import sql

from .columns import ROW_COLUMN, Column, check_columns
from .query import json_value
from .sealed import RowOpener, with_line
from .sql import FORMULA_STARTS, Select, export_expr, render

XLSX_MAX_ROWS = 1_048_576  # rows of one sheet, the header included
NUMERIC_TYPES = frozenset({"integer", "decimal"})


def _connection(connection):
    return connection if connection is not None else default_connection


def _rows(statement: str, params: dict, batch: int, opener=None) -> Iterator[tuple]:
    """Rows of the statement from a server-side cursor on a read-only connection of its own;
    encrypted items decrypted by opener (sealed.RowOpener)."""
    from audit.services import dbroles

    if opener:
        yield from map(opener.row, _rows(statement, params, batch))
        return

    raw = psycopg2.connect(**params)
    try:
        raw.set_session(readonly=True, autocommit=False)
        dbroles.use_app_role_raw(raw)  # SECURITY.md 14.18: not as the login role
        with raw.cursor(name="datastore_export") as cursor:
            cursor.itersize = batch
            cursor.execute(statement)
            yield from cursor
    finally:
        raw.close()  # also when the consumer stops early (client gone): the transaction ends with it


def _select(table: str, fields: list[sql.Composable]) -> Select:
    select = Select(table)
    select.fields = list(fields)
    select.order_by(ROW_COLUMN)
    return select


def stream_json(
    table: str,
    columns: list[Column],
    *,
    meta: dict | None = None,
    batch: int = 2000,
    rows_per_chunk: int = 500,
    connection=None,
) -> Iterator[bytes]:
    """The table as one JSON document, streamed (see the module doc)."""
    columns = check_columns(columns)
    connection = _connection(connection)
    statement = render(
        _select(table, with_line([sql.Identifier(c.key) for c in columns], columns)).build()[0], connection
    )
    params = connection.get_connection_params()
    keys = [c.key for c in columns]
    head = {"meta": meta or {}, "fields": [{"key": c.key, "name": c.name, "type": c.type} for c in columns]}
    return _json(statement, params, head, keys, batch, rows_per_chunk, RowOpener(table, columns))


def _json(statement, params, head, keys, batch, rows_per_chunk, opener=None) -> Iterator[bytes]:
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    yield opening.encode("utf-8")
    parts, first = [], True
    for row in _rows(statement, params, batch, opener):
        text = json.dumps(dict(zip(keys, map(json_value, row))), ensure_ascii=False)
        parts.append(text if first else "," + text)
        first = False
        if len(parts) >= rows_per_chunk:
            yield "\n".join(parts).encode("utf-8")
            parts = []
    parts.append("]}\n")
    yield "\n".join(parts).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# XLSX

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# characters XML 1.0 does not allow (control characters other than tab, line feed, carriage return)
_ILLEGAL = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, value: str) -> str:
    value = value.translate(_ILLEGAL)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _cell(ref: str, value, numeric: bool) -> str:
    if value is None:
        return ""
    if numeric and isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _text_cell(ref, str(value))


def _header_cells(columns: list[Column], letters: list[str]) -> str:
    cells = []
    for column, letter in zip(columns, letters):
        name = column.name
        cells.append(_text_cell(f"{letter}1", "'" + name if name.startswith(FORMULA_STARTS) else name))
    return '<row r="1">' + "".join(cells) + "</row>"


def _package_parts(sheets: int, sheet_title: str) -> dict[str, str]:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    content_types = (
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        _XML + f'<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    title = (sheet_title or "Sheet").translate(_ILLEGAL)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    title = title.strip()[:25] or "Sheet"
    names = [title if n == 1 else f"{title} ({n})" for n in range(1, sheets + 1)]
    workbook = (
        _XML
        + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        _XML
        + f'<Relationships xmlns="{_PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, sheets + 1)
        )
        + f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
    )
    styles = (
        _XML + f'<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_rels,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": workbook_rels,
        "xl/styles.xml": styles,
    }


class _Sink:
    """A write-only file for zipfile: what is written waits here until the generator takes it."""

    def __init__(self):
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def stream_xlsx(
    table: str,
    columns: list[Column],
    *,
    row_count: int,
    sheet_title: str = "Sheet",
    batch: int = 2000,
    chunk_size: int = 64 * 1024,
    connection=None,
) -> Iterator[bytes]:
    """The table as an XLSX workbook, streamed (see the module doc). row_count: the table's rows
    (to know the number of sheets before the first byte goes out)."""
    columns = check_columns(columns)
    connection = _connection(connection)
    statement = render(_select(table, with_line([export_expr(c) for c in columns], columns)).build()[0], connection)
    params = connection.get_connection_params()
    per_sheet = XLSX_MAX_ROWS - 1
    sheets = max(1, -(-max(row_count, 0) // per_sheet))
    return _xlsx(
        statement, params, columns, sheets, per_sheet, sheet_title, batch, chunk_size, RowOpener(table, columns)
    )


def _xlsx(
    statement, params, columns, sheets, per_sheet, sheet_title, batch, chunk_size, opener=None
) -> Iterator[bytes]:
    sink = _Sink()
    letters = [column_letter(i) for i in range(len(columns))]
    numeric = [c.type in NUMERIC_TYPES for c in columns]
    header = _header_cells(columns, letters)
    sheet_head = (_XML + f'<worksheet xmlns="{_NS}"><sheetData>' + header).encode("utf-8")
    sheet_tail = b"</sheetData></worksheet>"
    rows = _rows(statement, params, batch, opener)
    try:
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as archive:
            for name, text in _package_parts(sheets, sheet_title).items():
                archive.writestr(name, text)
            yield sink.take()
            for number in range(1, sheets + 1):
                with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                    part.write(sheet_head)
                    line, pending = 1, []
                    for row in rows:
                        line += 1
                        cells = "".join(_cell(f"{letters[i]}{line}", value, numeric[i]) for i, value in enumerate(row))
                        pending.append(f'<row r="{line}">{cells}</row>')
                        if len(pending) >= 200:
                            part.write("".join(pending).encode("utf-8"))
                            pending = []
                            if len(sink.buffer) >= chunk_size:
                                yield sink.take()
                        if line > per_sheet:
                            break
                    if pending:
                        part.write("".join(pending).encode("utf-8"))
                    part.write(sheet_tail)
                yield sink.take()
        yield sink.take()
    finally:
        rows.close()  # the connection closes even when the client goes away mid-download
