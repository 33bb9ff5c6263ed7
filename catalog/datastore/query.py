"""Reading data tables: preview, filtered and paged queries, CSV downloads by COPY TO STDOUT."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import queue
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

import psycopg2
from django.db import connection as default_connection
from django.utils.translation import gettext as _
from psycopg2 import sql

from .columns import ROW_COLUMN, Column, check_columns
from .limits import limit
from .masks import shown_expr
from .sql import FORMULA_STARTS, Select, export_expr, render
from .validate import CellError, local_zone, normalise

BOM = b"\xef\xbb\xbf"


def _connection(connection):
    return connection if connection is not None else default_connection


def json_value(value):
    """A value from the database as JSON-friendly Python: ISO dates, decimals as strings,
    date-times in the portal's time zone."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(local_zone())
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def fetch_dicts(select: Select, columns: list[Column], connection, masked=()) -> list[dict]:
    """Run a Select whose fields are the columns, in order; rows as {key: json value}.
    Encrypted items are decrypted here (and masked when their key is in masked: SQL cannot)."""
    from .sealed import RowOpener, check_plain, with_line

    opener = RowOpener(select.table, columns, masked)
    if opener:
        select = dataclasses.replace(select, fields=with_line(select.fields, columns))
    query, params = select.build()
    keys = [column.key for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(render(query, connection), params)
        rows = cursor.fetchall()
    if opener:
        rows = [opener.row(row) for row in rows]
    for row in rows[:1]:
        check_plain(columns, row)
    return [dict(zip(keys, map(json_value, row))) for row in rows]


def preview(table: str, columns: list[Column], *, limit: int = 20, masked=(), connection=None) -> list[dict]:
    """The first rows (by load order) of the given columns; the columns keyed in `masked` masked."""
    columns = check_columns(columns)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(_("行数必须是非负整数"))
    select = Select(table).add_columns(columns).order_by(ROW_COLUMN)
    if masked:
        select.fields = [shown_expr(c, c.key in masked) for c in columns]
    select.limit = limit
    return fetch_dicts(select, columns, _connection(connection), masked)


def filtered_select(table: str, columns: list[Column], filters: dict | None) -> Select:
    """SELECT the columns WHERE each filtered column equals its value, cast to the column's
    type. Filters on a key not among columns, or with values that are not valid for the
    column's type, raise ValueError with a Chinese message. Empty values are ignored."""
    by_key = {column.key: column for column in columns}
    select = Select(table).add_columns(columns)
    for key, value in (filters or {}).items():
        column = by_key.get(key)
        if column is None:
            raise ValueError(_("不能按「%(key)s」筛选：不是可查询的信息项") % {"key": str(key)[:64]})
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            value = str(value)
        try:
            text = normalise(column, value)
        except CellError as exc:
            raise ValueError(
                _("筛选条件「%(name)s」无效：%(reason)s") % {"name": column.name, "reason": exc.reason}
            ) from None
        select.where_equal(column, text)
    return select


def query_rows(
    table: str,
    columns: list[Column],
    *,
    filters: dict[str, str] | None = None,
    order_by: str | None = None,
    page: int = 1,
    page_size: int = 50,
    connection=None,
) -> tuple[list[dict], int]:
    """One page of rows of the given columns only, and the number of rows matching the filters.

    order_by: a column key, "-key" for descending; rows are otherwise in load order."""
    columns = check_columns(columns)
    connection = _connection(connection)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(_("页码必须是正整数"))
    max_page_size = limit("MAX_PAGE_SIZE")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= max_page_size:
        raise ValueError(_("每页行数必须在 1 到 %(max)s 之间") % {"max": max_page_size})
    select = filtered_select(table, columns, filters)
    if order_by:
        key = order_by[1:] if order_by.startswith("-") else order_by
        column = next((c for c in columns if c.key == key), None)
        if column is None:
            raise ValueError(_("不能按「%(key)s」排序：不是可查询的信息项") % {"key": key[:64]})
        select.order_by(column, descending=order_by.startswith("-"))
    select.order_by(ROW_COLUMN)
    select.limit, select.offset = page_size, (page - 1) * page_size

    count_query, params = select.build_count()
    with connection.cursor() as cursor:
        cursor.execute(render(count_query, connection), params)
        total = cursor.fetchone()[0]
    rows = fetch_dicts(select, columns, connection) if total > (page - 1) * page_size else []
    return rows, total


# ---------------------------------------------------------------------------------------------
# CSV downloads


def csv_header(columns: list[Column], header_names: bool) -> str:
    cells = []
    for column in columns:
        text = column.name if header_names else column.key
        cells.append("'" + text if text.startswith(FORMULA_STARTS) else text)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def export_statement(table: str, columns: list[Column], filters: dict | None = None) -> sql.Composed:
    """COPY (SELECT the columns, neutralised for spreadsheets, ORDER BY _row) TO STDOUT as CSV."""
    select = filtered_select(table, columns, filters)
    select.fields = [export_expr(column) for column in columns]
    select.order_by(ROW_COLUMN)
    if any(column.encrypted for column in columns):
        from .sealed import with_line

        select.fields = with_line(select.fields, columns)
        return select.build_inline()  # decrypted in Python: sealed.stream / sealed.write
    return sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(select.build_inline())


def copy_to(
    table: str,
    columns: list[Column],
    out: BinaryIO,
    *,
    header_names: bool = True,
    bom: bool = False,
    filters: dict | None = None,
    connection=None,
) -> None:
    """Write the given columns of every row (load order) to out as UTF-8 CSV by COPY TO STDOUT.

    The header carries the display names (or the keys); text cells starting with = + - @ (or a
    tab or carriage return) get a leading ' so that spreadsheets do not run them as formulas;
    bom=True starts with a UTF-8 byte order mark (for Excel). Runs on the caller's connection,
    so it sees the caller's transaction; copy_expert returns at the end: see stream_csv."""
    columns = check_columns(columns)
    connection = _connection(connection)
    statement = render(export_statement(table, columns, filters), connection)
    text = isinstance(out, io.TextIOBase)
    header = csv_header(columns, header_names)
    if bom:
        out.write("\ufeff" if text else BOM)
    out.write(header if text else header.encode("utf-8"))
    if any(column.encrypted for column in columns):
        from . import sealed

        sealed.write(statement, connection, out, table=table, columns=columns)
        return
    with connection.cursor() as cursor:
        cursor.copy_expert(statement, out)


_DONE = object()


class _Cancelled(Exception):
    pass


def stream_csv(
    table: str,
    columns: list[Column],
    *,
    header_names: bool = True,
    bom: bool = False,
    filters: dict | None = None,
    chunk_size: int = 64 * 1024,
    queue_size: int = 8,
    connection=None,
) -> Iterator[bytes]:
    """The CSV of copy_to as an iterator of byte chunks, for a StreamingHttpResponse.

    psycopg2's copy_expert returns only at the end, so COPY runs in a thread on a connection of
    its own (same settings as ``connection``), writing into a bounded queue that this generator
    empties: memory stays at about chunk_size * queue_size. It therefore sees committed data
    only. Closing the generator early (client gone) cancels the COPY and closes that connection."""
    columns = check_columns(columns)
    connection = _connection(connection)
    statement = render(export_statement(table, columns, filters), connection)
    params = connection.get_connection_params()
    head = (BOM if bom else b"") + csv_header(columns, header_names).encode("utf-8")
    if any(column.encrypted for column in columns):
        from . import sealed

        return sealed.stream(statement, params, head=head, table=table, columns=columns, chunk_size=chunk_size)
    return stream_statement(statement, params, head, chunk_size, queue_size)


def stream_statement(statement: str, params: dict, head: bytes, chunk_size: int, queue_size: int) -> Iterator[bytes]:
    chunks: queue.Queue = queue.Queue(maxsize=queue_size)
    cancelled = threading.Event()
    raw = psycopg2.connect(**params)

    def put(item):
        while not cancelled.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Cancelled

    class Sink:
        def __init__(self):
            self.buffer = bytearray()

        def write(self, data):
            self.buffer += data.encode("utf-8") if isinstance(data, str) else data
            if len(self.buffer) >= chunk_size:
                put(bytes(self.buffer))
                self.buffer.clear()

    def produce():
        from audit.services import dbroles

        sink = Sink()
        try:
            raw.set_session(readonly=True, autocommit=True)
            dbroles.use_app_role_raw(raw)  # SECURITY.md 14.18: not as the login role
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, sink, size=chunk_size)
            if sink.buffer:
                put(bytes(sink.buffer))
            put(_DONE)
        except _Cancelled:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            if not cancelled.is_set():
                try:
                    put(exc)
                except _Cancelled:
                    pass
        finally:
            raw.close()

    thread = threading.Thread(target=produce, name="datastore-copy", daemon=True)
    try:
        yield head
        thread.start()
        while True:
            item = chunks.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        cancelled.set()
        if thread.is_alive():
            try:
                raw.cancel()  # a COPY waiting on the server stops now
            except psycopg2.Error:
                pass
            thread.join(timeout=30)
        elif not thread.ident:
            raw.close()
