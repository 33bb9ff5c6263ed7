"""Loading a file into a data table, and managing data tables.

A load is two phases. First the file is read row by row and every cell is checked and
normalised; valid rows go to a staging file (an anonymous temporary file: the operating system
removes it even if the process dies) in PostgreSQL's COPY text format. Only if no cell was
refused does the second phase run, inside a savepoint of the caller's transaction:
``CREATE TABLE datastore.<table>``, ``COPY ... FROM STDIN`` from the staging file, ``ANALYZE``.
PostgreSQL's DDL is transactional, so a rollback of the caller removes the table again.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.db import DataError as DjangoDataError
from django.db import connection as default_connection
from django.db import transaction
from django.utils.translation import gettext as _
from psycopg2 import sql

from . import fastpaths
from .columns import LINE_COLUMN, ROW_COLUMN, SCHEMA, Column, check_columns, check_identifier
from .limits import limit
from .readers import FileRejected, open_source
from .sealed import load_cipher, seal_columns, seal_row
from .sql import column_ref, index_ref, render, table_ref
from .validate import CellError, is_empty, normalise

VALUE_PREVIEW = 100  # characters of a refused value kept in its RowError
BATCH_ROWS = 1000  # CSV rows checked together, column by column (see _Checker)
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


@dataclass
class RowError:
    """One refused cell, row or header. line: the line the user sees in the file (header = 1;
    0 = the file as a whole); column: the data item's display name (or the header text) if the
    error concerns one; value: the refused value (at most 100 characters); message: the full
    Chinese sentence, e.g. "第 12 行「身份证号」：校验位错误"; reason: the part after the colon."""

    line: int
    column: str | None
    value: str | None
    message: str
    reason: str = ""

    def __str__(self):
        return self.message


@dataclass
class LoadResult:
    ok: bool
    table: str | None  # the created table, None if refused
    row_count: int  # data rows read (loaded, if ok)
    errors: list[RowError]  # at most max_errors of them
    error_count: int  # all errors found
    encoding: str | None  # "utf-8", "utf-8-sig", "gb18030" for CSV; None for XLSX
    kind: str | None = None  # "csv" or "xlsx"
    rejected_rows: int = 0  # data rows with at least one error


def format_error(line: int, column: str | None, reason: str) -> str:
    if line and column:
        return _("第 %(line)s 行「%(column)s」：%(reason)s") % {"line": line, "column": column, "reason": reason}
    if line:
        return _("第 %(line)s 行：%(reason)s") % {"line": line, "reason": reason}
    if column:
        return _("「%(column)s」：%(reason)s") % {"column": column, "reason": reason}
    return reason


class _Errors:
    def __init__(self, max_errors: int):
        self.items: list[RowError] = []
        self.count = 0
        self.max = max_errors

    def add(self, line: int, column: str | None, value, reason: str):
        self.count += 1
        if len(self.items) < self.max:
            if value is not None:
                value = str(value)
                if len(value) > VALUE_PREVIEW:
                    value = value[:VALUE_PREVIEW] + "…"
            self.items.append(RowError(line, column, value, format_error(line, column, reason), reason))


def _connection(connection):
    return connection if connection is not None else default_connection


# ---------------------------------------------------------------------------------------------
# small table functions


def table_exists(table: str, *, connection=None) -> bool:
    check_identifier(table, _("数据表名"))
    with _connection(connection).cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = %s)",
            [SCHEMA, table],
        )
        return cursor.fetchone()[0]


def has_line_column(table: str, *, connection=None) -> bool:
    """Whether the table keeps each row's file line in _line (tables loaded since the fix of SECURITY.md 14.21 do)."""
    check_identifier(table, _("数据表名"))
    with _connection(connection).cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = %s AND a.attname = %s AND NOT a.attisdropped)",
            [SCHEMA, table, LINE_COLUMN],
        )
        return cursor.fetchone()[0]


def drop_table(table: str, *, connection=None) -> None:
    connection = _connection(connection)
    with connection.cursor() as cursor:
        cursor.execute(render(sql.SQL("DROP TABLE IF EXISTS {}").format(table_ref(table)), connection))


def row_count(table: str, *, connection=None) -> int:
    connection = _connection(connection)
    with connection.cursor() as cursor:
        cursor.execute(render(sql.SQL("SELECT count(*) FROM {}").format(table_ref(table)), connection))
        return cursor.fetchone()[0]


def create_statement(table: str, columns: list[Column]) -> sql.Composed:
    definitions = [
        sql.SQL("{} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY").format(sql.Identifier(ROW_COLUMN)),
        # nullable: the loader always fills it; a table filled another way (bench set-ups) may not
        sql.SQL("{} bigint").format(sql.Identifier(LINE_COLUMN)),
    ]
    definitions.extend(
        sql.SQL("{} {}{}").format(
            column_ref(column),
            sql.SQL("bytea" if column.encrypted else column.pg_type),
            sql.SQL(" NOT NULL" if column.required else ""),
        )
        for column in columns
    )
    definitions.extend(sql.SQL("{} bytea").format(index_ref(column)) for column in columns if column.encrypted)
    return sql.SQL("CREATE TABLE {} ({})").format(table_ref(table), sql.SQL(", ").join(definitions))


# ---------------------------------------------------------------------------------------------
# loading


def _escape(value: str) -> str:
    """A value in COPY's text format (the NULL marker \\N cannot come out of it)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _match_header(line: int, header: list, columns: list[Column], errors: _Errors):
    """[(cell index, position in columns, column)] for the header, errors for what does not fit."""
    by_name, by_folded, by_key = {}, {}, {}
    for position, column in enumerate(columns):
        by_name.setdefault(column.name.strip(), position)
        by_folded.setdefault(column.name.strip().casefold(), position)
        by_key.setdefault(column.key, position)
    plan, seen = [], {}
    for index, cell in enumerate(header):
        text = "" if is_empty(cell) else str(cell).strip()
        if not text:
            errors.add(line, None, None, _("第 %(n)s 列的表头为空") % {"n": index + 1})
            continue
        position = by_name.get(text)
        if position is None:
            position = by_folded.get(text.casefold())
        if position is None:
            position = by_key.get(text.lower())
        if position is None:
            errors.add(line, text, text, _("表头与资源的信息项不匹配"))
            continue
        if position in seen:
            errors.add(
                line,
                columns[position].name,
                text,
                _("表头重复（第 %(first)s 列和第 %(second)s 列）") % {"first": seen[position] + 1, "second": index + 1},
            )
            continue
        seen[position] = index
        plan.append((index, position, columns[position]))
    for position, column in enumerate(columns):
        if column.required and position not in seen:
            errors.add(line, column.name, None, _("缺少必填的信息项"))
    return plan


class _Checker:
    """Checks data rows against the header's plan and writes the valid ones to the staging file
    while no error was found. CSV rows come in batches: each column of a batch is checked at once
    by fastpaths.column_values; a batch with any error (or an XLSX row, or a row of another
    width than the header) is checked row by row by the general path, which reports the errors."""

    def __init__(
        self, plan, columns, width, staging, errors: _Errors, result: LoadResult, from_xlsx: bool, cipher=None
    ):
        self.plan, self.width, self.count = plan, width, len(columns)
        self.staging, self.errors, self.result, self.from_xlsx = staging, errors, result, from_xlsx
        self.escaped = {position for _i, position, column in plan if column.type == "string" and not column.encrypted}
        # encrypted items: ciphertext and blind index go to the staging file, never the plaintext
        self.sealed = [(position, column) for position, column in enumerate(columns) if column.encrypted]
        self.cipher = cipher
        self.max_columns = limit("MAX_COLUMNS")
        self.writing = True
        self.context = fastpaths.Context()

    def batch(self, lines: list[int], rows: list[list]) -> None:
        if not rows:
            return
        if not self.from_xlsx and all(len(cells) == self.width for cells in rows):
            try:
                values = self._columns(rows)
            except fastpaths.Slow:
                pass
            else:
                if self.writing:
                    self._write(values, lines)
                return
        for line, cells in zip(lines, rows):
            self.row(line, cells)

    def _columns(self, rows: list[list]) -> list[list | None]:
        by_index = list(zip(*rows))
        values: list[list | None] = [None] * self.count
        for index, position, column in self.plan:
            out = fastpaths.column_values(column, by_index[index], self.context)
            if position in self.escaped and _NEEDS_ESCAPE.search("\x1f".join(filter(None, out))):
                out = [None if v is None else _escape(v) for v in out]
            values[position] = out
        return values

    def _write(self, values: list[list | None], lines: list[int]) -> None:
        n = len(lines)
        if self.sealed:
            values = seal_columns(self.cipher, self.sealed, values, lines)
        columns = [list(map(str, lines))]
        for out in values:
            if out is None:
                out = [r"\N"] * n
            elif None in out:
                out = [r"\N" if v is None else v for v in out]
            columns.append(out)
        self.staging.write("\n".join(map("\t".join, zip(*columns))))
        self.staging.write("\n")

    def row(self, line: int, cells) -> None:
        errors, width, max_columns = self.errors, self.width, self.max_columns
        found = errors.count
        n = len(cells)
        if n > max_columns:
            errors.add(
                line, None, None, _("有 %(count)s 列，超过上限 %(limit)s 列") % {"count": n, "limit": max_columns}
            )
        elif n < width and not self.from_xlsx:
            errors.add(line, None, None, _("有 %(count)s 列，少于表头的 %(width)s 列") % {"count": n, "width": width})
        elif n > width and not all(map(is_empty, cells[width:])):
            errors.add(line, None, None, _("有 %(count)s 列，多于表头的 %(width)s 列") % {"count": n, "width": width})
        else:
            values = [None] * self.count
            for index, position, column in self.plan:
                value = cells[index] if index < n else None
                try:
                    text = normalise(column, value, from_xlsx=self.from_xlsx)
                except CellError as exc:
                    errors.add(line, column.name, value, exc.reason)
                    continue
                if text is None:
                    if column.required:
                        errors.add(line, column.name, None, _("必填项为空"))
                    continue
                values[position] = _escape(text) if position in self.escaped else text
            if errors.count == found and self.writing:
                if self.sealed:
                    values = seal_row(self.cipher, self.sealed, values, line)
                self.staging.write(str(line) + "\t")
                self.staging.write("\t".join(r"\N" if v is None else v for v in values))
                self.staging.write("\n")
        if errors.count != found:
            self.result.rejected_rows += 1
            if self.writing:  # nothing will be loaded: stop filling the disk
                self.writing = False
                self.staging.seek(0)
                self.staging.truncate()


def _read(source, columns, staging, errors: _Errors, progress, result: LoadResult, cipher=None) -> None:
    """Check every row of source; write the valid ones to staging while no error was found."""
    max_columns, max_rows = limit("MAX_COLUMNS"), limit("MAX_ROWS")
    every = max(1, int(limit("PROGRESS_EVERY")))
    from_xlsx = source.kind == "xlsx"
    rows = source.rows
    for line, header in rows:  # noqa: B007 - `line` is read after the loop; the header: the first non-empty row
        header = list(header)
        while header and is_empty(header[-1]):
            header.pop()
        if header:
            break
    else:
        raise FileRejected(_("文件没有表头（第一行应为信息项名称）"))
    header_line = line
    if len(header) > max_columns:
        raise FileRejected(
            _("表头有 %(count)s 列，超过上限 %(limit)s 列") % {"count": len(header), "limit": max_columns}, line
        )
    plan = _match_header(line, header, columns, errors)
    if errors.count:
        return
    checker = _Checker(plan, columns, len(header), staging, errors, result, from_xlsx, cipher)
    size = 1 if from_xlsx else BATCH_ROWS
    lines, batch = [], []
    data_rows = 0
    for line, cells in rows:
        if all(map(is_empty, cells)):
            continue  # blank lines and empty spreadsheet rows
        data_rows += 1
        if data_rows > max_rows:
            checker.batch(lines, batch)
            raise FileRejected(_("数据超过 %(limit)s 行的上限") % {"limit": max_rows}, line)
        if data_rows % every == 0 and progress is not None:
            progress(data_rows)
        lines.append(line)
        batch.append(cells)
        if len(batch) >= size:
            checker.batch(lines, batch)
            lines, batch = [], []
    checker.batch(lines, batch)
    result.row_count = data_rows
    if not data_rows:
        # SECURITY.md 14.21: a file with its header and no data loaded "successfully" as an empty data version.
        raise FileRejected(
            _("文件只有表头（第 %(line)s 行），没有数据行；请在表头下方填写数据后重新上传") % {"line": header_line}
        )


def load_file(
    path: str | Path,
    *,
    filename: str,
    columns: list[Column],
    table: str,
    progress: Callable[[int], None] | None = None,
    max_errors: int = 1000,
    connection=None,
) -> LoadResult:
    """Check a CSV or XLSX file against columns and, if every row is valid, load it into a new
    table datastore.<table>, all or nothing, in the caller's transaction (see the module doc)."""
    check_identifier(table, _("数据表名"))
    columns = check_columns(columns)
    if max_errors < 0:
        raise ValueError("max_errors must not be negative")
    connection = _connection(connection)
    if table_exists(table, connection=connection):
        raise ValueError(_("数据表「%(table)s」已存在") % {"table": table})

    errors = _Errors(max_errors)
    result = LoadResult(ok=False, table=None, row_count=0, errors=errors.items, error_count=0, encoding=None)
    with tempfile.TemporaryFile(
        mode="w+", encoding="utf-8", newline="\n", prefix="datastore-", dir=limit("TEMP_DIR")
    ) as staging:
        try:
            with open_source(path, filename) as source:
                result.encoding, result.kind = source.encoding, source.kind
                _read(source, columns, staging, errors, progress, result, load_cipher(table, columns))
        except FileRejected as exc:
            errors.add(exc.line, None, None, exc.reason)
        if progress is not None:
            progress(result.row_count)
        result.error_count = errors.count
        if errors.count:
            return result
        staging.flush()
        staging.seek(0)
        try:
            _create_and_copy(connection, table, columns, staging)
        except (psycopg2.DataError, DjangoDataError) as exc:
            # the checks above should have caught it; the savepoint is rolled back, no table
            reason = _("数据库拒绝了数据：%(error)s") % {"error": str(exc).strip().splitlines()[0]}
            errors.add(0, None, None, reason)
            result.error_count = errors.count
            return result
    result.ok, result.table = True, table
    return result


def _create_and_copy(connection, table: str, columns: list[Column], staging) -> None:
    names = sql.SQL(", ").join(
        [column_ref(LINE_COLUMN)]
        + [column_ref(column) for column in columns]
        + [index_ref(column) for column in columns if column.encrypted]
    )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", [SCHEMA])
        if cursor.fetchone() is None:
            cursor.execute(render(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)), connection))
        cursor.execute(render(create_statement(table, columns), connection))
        copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT text)").format(table_ref(table), names)
        cursor.copy_expert(
            render(copy, connection), staging, 64 * 1024
        )  # positional: Django's debug cursor takes no size=
        cursor.execute(render(sql.SQL("ANALYZE {}").format(table_ref(table)), connection))
