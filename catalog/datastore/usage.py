"""The SQL of grant use (sharing app, docs/features.md S5): masked queries, compare, statistics and pulls.

Every function takes the columns a grant covers, never more, and the keys of those that stay
masked. Nothing here decides *who* may do what: the sharing services check the grant first.
All SQL is built with psycopg2.sql (identifiers quoted, values bound or quoted by psycopg2).

- ``query``      one page of rows, masked items masked (Lhasa art. 9(2): 查阅);
- ``compare``    match / no match per item for one key value, never a stored value (art. 9(3): 比对);
- ``statistics`` counts, sums and averages grouped by items, small groups suppressed (art. 9(4): 统计);
- ``stream``     the rows as CSV or a JSON array by COPY TO STDOUT, constant memory (获取).

Masking (until the open-data engineer's masking rules in ``masking.py`` are shared): an item that
stays masked shows as
- ID numbers, credit codes, phone numbers: ``*`` for every character but the last four;
- other text: its first character, then ``*`` for each other character (张** for a name);
- numbers, dates, times, booleans: nothing (NULL).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

import redis
from django.core.cache import cache
from django.db import connection as default_connection
from django.utils.translation import gettext as _
from psycopg2 import sql

from .columns import ROW_COLUMN, SCHEMA, TEXT_TYPES, Column, check_columns
from .limits import limit
from .masks import KEEP_LAST_FOUR, mask_expr, shown_expr  # noqa: F401  (KEEP_LAST_FOUR: part of the grant-use API)
from .query import csv_header, fetch_dicts, filtered_select, json_value, stream_statement
from .sql import (
    Select,
    blind_index,
    column_ref,
    export_expr,
    index_ref,
    neutralised,
    refuse_encrypted,
    render,
    table_ref,
)
from .validate import CellError, normalise

NUMERIC_TYPES = frozenset({"integer", "decimal"})
MEASURES = ("sum", "avg")
MAX_GROUP_COLUMNS = 3
MAX_GROUPS = 1000
COUNT_SECONDS = 7 * 24 * 3600  # a dropped table's counts leave the cache within a week


def _connection(connection):
    return connection if connection is not None else default_connection


def _granted(columns: Iterable[Column], masked: Iterable[str]) -> tuple[list[Column], frozenset[str]]:
    columns = check_columns(columns)
    masked = frozenset(masked or ())
    unknown = masked - {c.key for c in columns}
    if unknown:
        raise ValueError(_("脱敏信息项不在授权范围内：%(k)s") % {"k": "、".join(sorted(unknown))})
    return columns, masked


def _by_key(columns: list[Column], key: str, what: str) -> Column:
    for column in columns:
        if column.key == key:
            return column
    raise ValueError(_("「%(key)s」不是可%(what)s的信息项") % {"key": str(key)[:64], "what": what})


# ---------------------------------------------------------------------------------------------
# 查阅: rows


def query(
    table: str,
    columns: list[Column],
    *,
    masked: Iterable[str] = (),
    filters: dict | None = None,
    order_by: str | None = None,
    page: int = 1,
    page_size: int = 50,
    connection=None,
) -> tuple[list[dict], int]:
    """One page of the granted columns, masked ones masked, and the number of matching rows.

    Filters are equality on granted items (a masked item may be filtered on: the caller brings
    the value). Ordering by a masked item is refused: the order would reveal its values."""
    columns, masked = _granted(columns, masked)
    connection = _connection(connection)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(_("页码必须是正整数"))
    max_page_size = limit("MAX_PAGE_SIZE")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= max_page_size:
        raise ValueError(_("每页行数必须在 1 到 %(max)s 之间") % {"max": max_page_size})
    select = filtered_select(table, columns, filters)
    select.fields = [shown_expr(c, c.key in masked) for c in columns]
    if order_by:
        key = order_by[1:] if order_by.startswith("-") else order_by
        column = _by_key(columns, key, _("排序"))
        if column.key in masked:
            raise ValueError(_("不能按脱敏的信息项「%(name)s」排序") % {"name": column.name})
        select.order_by(column, descending=order_by.startswith("-"))
    select.order_by(ROW_COLUMN)
    select.limit, select.offset = page_size, (page - 1) * page_size
    total = count(table, columns, filters=filters, connection=connection)
    rows = fetch_dicts(select, columns, connection, masked) if total > (page - 1) * page_size else []
    return rows, total


def count(table: str, columns: list[Column], *, filters: dict | None = None, connection=None) -> int:
    """Rows matching the filters (equality on the given columns).

    Kept in the cache once counted: a data table never changes once loaded (a new load is a new
    table), and counting the rows of a filter means reading the whole table. The key holds the
    table's OID, so a table made again under an old name (a restored backup, a load rolled back
    and run again, a test database made anew) is never answered with the old table's count."""
    connection = _connection(connection)
    query_, params = filtered_select(table, check_columns(columns), filters).build_count()
    statement = render(query_, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)::oid", [f"{SCHEMA}.{table}"])
        oid = cursor.fetchone()[0]
        key = _count_key(connection, oid, statement, params) if oid is not None else None
        total = _cached(key)
        if total is not None:
            return total
        cursor.execute(statement, params)
        total = cursor.fetchone()[0]
    if key is not None:
        try:
            cache.set(key, total, COUNT_SECONDS)
        except redis.RedisError:
            pass  # counted again next time
    return total


def _count_key(connection, oid: int, statement: str, params: list) -> str:
    digest = hashlib.sha256(json.dumps([statement, params], default=str).encode()).hexdigest()[:32]
    return f"datastore:count:{connection.settings_dict['NAME']}:{oid}:{digest}"


def _cached(key: str | None) -> int | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except redis.RedisError:
        return None  # without the cache, count


# ---------------------------------------------------------------------------------------------
# 比对: match / no match


def _typed_value(column: Column, value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return normalise(column, value if isinstance(value, str) else str(value))
    except CellError as exc:
        raise ValueError(_("「%(name)s」的值无效：%(reason)s") % {"name": column.name, "reason": exc.reason}) from None


def compare(
    table: str, columns: list[Column], *, key: str, key_value, values: dict, connection=None
) -> dict[str, bool]:
    """For the rows whose `key` item equals `key_value`: does each item equal the value sent?

    Returns {key: found, item: matched, ...} for the key and each item sent, and nothing else:
    no stored value, no row count. An item matches when at least one row with the key holds
    exactly the value (compared in the item's type, after the same normalising as a load)."""
    columns = check_columns(columns)
    connection = _connection(connection)
    key_column = _by_key(columns, key, _("比对"))
    key_text = _typed_value(key_column, key_value)
    if key_text is None:
        raise ValueError(_("请提供比对的关键信息项「%(name)s」的值") % {"name": key_column.name})
    if not isinstance(values, dict) or not values:
        raise ValueError(_("请至少提供一个需要比对的信息项"))
    compared = []
    for item_key, value in values.items():
        column = _by_key(columns, item_key, _("比对"))
        if column.key == key_column.key:
            continue
        compared.append((column, _typed_value(column, value)))
    fields = [sql.SQL("count(*) > 0")]
    params: list = []
    for column, text in compared:
        if text is None:
            fields.append(sql.SQL("bool_or({} IS NULL)").format(column_ref(column)))
        elif column.encrypted:  # by the blind index: the keyed hash of the value sent
            fields.append(sql.SQL("bool_or({} = {})").format(index_ref(column), sql.Placeholder()))
            params.append(blind_index(text))
        else:
            fields.append(
                sql.SQL("bool_or({} = CAST({} AS {}))").format(
                    column_ref(column), sql.Placeholder(), sql.SQL(column.pg_type)
                )
            )
            params.append(text)
    if key_column.encrypted:
        statement = sql.SQL("SELECT {} FROM {} WHERE {} = {}").format(
            sql.SQL(", ").join(fields), table_ref(table), index_ref(key_column), sql.Placeholder()
        )
        params.append(blind_index(key_text))
    else:
        statement = sql.SQL("SELECT {} FROM {} WHERE {} = CAST({} AS {})").format(
            sql.SQL(", ").join(fields),
            table_ref(table),
            column_ref(key_column),
            sql.Placeholder(),
            sql.SQL(key_column.pg_type),
        )
        params.append(key_text)
    with connection.cursor() as cursor:
        cursor.execute(render(statement, connection), params)
        row = cursor.fetchone()
    result = {key_column.key: bool(row[0])}
    for (column, _text), matched in zip(compared, row[1:]):
        result[column.key] = bool(matched)
    return result


# ---------------------------------------------------------------------------------------------
# 统计: aggregates, small groups suppressed


def statistics(
    table: str,
    columns: list[Column],
    *,
    group_by: list[str],
    measures: list[tuple[str, str]] = (),
    masked: Iterable[str] = (),
    filters: dict | None = None,
    min_group_size: int = 5,
    max_groups: int = MAX_GROUPS,
    connection=None,
) -> dict:
    """Row counts (and sums / averages of numeric items) per group of the `group_by` items.

    A group with fewer than `min_group_size` rows is left out and only counted in
    "suppressed_groups". Masked items can be neither grouped on nor measured."""
    columns, masked = _granted(columns, masked)
    connection = _connection(connection)
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int) or min_group_size < 1:
        raise ValueError("min_group_size must be a positive integer")
    group_columns = []
    for key in group_by or []:
        column = _by_key(columns, key, _("分组"))
        if column.key in masked:
            raise ValueError(_("不能按脱敏的信息项「%(name)s」分组") % {"name": column.name})
        refuse_encrypted(column, _("分组"))
        if column not in group_columns:
            group_columns.append(column)
    if len(group_columns) > MAX_GROUP_COLUMNS:
        raise ValueError(_("最多按 %(n)d 个信息项分组") % {"n": MAX_GROUP_COLUMNS})
    measure_fields, measure_names = [], []
    for function, key in measures or []:
        if function not in MEASURES:
            raise ValueError(_("统计方式只能是合计（sum）或平均（avg）"))
        column = _by_key(columns, key, _("统计"))
        if column.type not in NUMERIC_TYPES:
            raise ValueError(_("「%(name)s」不是数值型信息项，不能求和或平均") % {"name": column.name})
        if column.key in masked:
            raise ValueError(_("不能统计脱敏的信息项「%(name)s」") % {"name": column.name})
        refuse_encrypted(column, _("统计"))
        name = f"{function}_{column.key}"
        if name in measure_names:
            continue
        expr = sql.SQL("sum({})") if function == "sum" else sql.SQL("round(avg({}), 4)")
        measure_fields.append(expr.format(column_ref(column)))
        measure_names.append(name)

    base = filtered_select(table, columns, filters)
    grouped = Select(table, where=list(base.where), params=list(base.params))
    grouped.group_by = [column_ref(c) for c in group_columns]
    having = sql.SQL(" HAVING count(*) >= {}").format(sql.Literal(min_group_size))
    fields = [column_ref(c) for c in group_columns] + [sql.SQL("count(*)")] + measure_fields
    body = grouped._body(sql.SQL(", ").join(fields), ordered=False, paged=False)
    order = [sql.Literal(i) for i in range(1, len(group_columns) + 1)]
    statement = body + having
    if order:
        statement += sql.SQL(" ORDER BY ") + sql.SQL(", ").join(order)
    statement += sql.SQL(" LIMIT {}").format(sql.Literal(int(max_groups) + 1))
    small = sql.SQL("SELECT count(*) FROM ({} HAVING count(*) < {}) AS small").format(
        grouped._body(sql.SQL("1"), ordered=False, paged=False), sql.Literal(min_group_size)
    )
    params = list(base.params)
    with connection.cursor() as cursor:
        cursor.execute(render(statement, connection), params)
        rows = cursor.fetchall()
        cursor.execute(render(small, connection), params)
        suppressed = cursor.fetchone()[0]
    truncated = len(rows) > max_groups
    groups = []
    width = len(group_columns)
    for row in rows[:max_groups]:
        group = {"group": {c.key: json_value(v) for c, v in zip(group_columns, row[:width])}, "count": row[width]}
        for name, value in zip(measure_names, row[width + 1 :]):
            group[name] = json_value(value)
        groups.append(group)
    return {"groups": groups, "suppressed_groups": suppressed, "min_group_size": min_group_size, "truncated": truncated}


# ---------------------------------------------------------------------------------------------
# 获取: CSV / JSON by COPY TO STDOUT


def _json_expr(column: Column, masked: bool) -> sql.Composable:
    if column.encrypted:
        return column_ref(column)  # decrypted (and masked) in Python: sealed.encode
    if masked:
        return mask_expr(column)
    ref = column_ref(column)
    if column.type == "date":
        return sql.SQL("to_char({}, 'YYYY-MM-DD')").format(ref)
    if column.type == "datetime":
        return export_expr(column)
    if column.type == "decimal":
        return sql.SQL("{}::text").format(ref)  # exact, as the row API gives decimals
    return ref


def _csv_expr(column: Column, masked: bool) -> sql.Composable:
    if column.encrypted:
        return column_ref(column)  # decrypted (and masked) in Python: sealed.encode
    return (
        neutralised(mask_expr(column))
        if masked and column.type in TEXT_TYPES
        else (mask_expr(column) if masked else export_expr(column))
    )


def export_statement(
    table: str, columns: list[Column], *, masked: Iterable[str] = (), filters: dict | None = None, fmt: str = "csv"
) -> sql.Composed:
    """COPY (the granted columns, masked ones masked, in load order) TO STDOUT, as CSV rows or
    as one JSON object per line (row_to_json; JSON escapes every control character, so a line
    break only ever ends a row)."""
    columns, masked = _granted(columns, masked)
    select = filtered_select(table, columns, filters)
    select.order_by(ROW_COLUMN)
    sealed = any(c.encrypted for c in columns)
    if fmt == "csv":
        select.fields = [_csv_expr(c, c.key in masked) for c in columns]
        if sealed:
            from .sealed import with_line

            select.fields = with_line(select.fields, columns)
            return select.build_inline()
        return sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(select.build_inline())
    if fmt == "json":
        select.fields = [
            sql.SQL("{} AS {}").format(_json_expr(c, c.key in masked), sql.Identifier(c.key)) for c in columns
        ]
        if sealed:
            from .sealed import with_line

            select.fields = with_line(select.fields, columns)
            return select.build_inline()
        inner = select.build_inline()
        # CSV format with a quote and delimiter that JSON text never holds raw: lines pass unchanged.
        return sql.SQL(
            "COPY (SELECT row_to_json(r)::text FROM ({}) AS r) TO STDOUT "
            "WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')"
        ).format(inner)
    raise ValueError(_("下载格式只能是 csv 或 json"))


def stream(
    table: str,
    columns: list[Column],
    *,
    masked: Iterable[str] = (),
    filters: dict | None = None,
    fmt: str = "csv",
    header_names: bool = True,
    bom: bool = False,
    chunk_size: int = 64 * 1024,
    queue_size: int = 8,
    connection=None,
) -> Iterator[bytes]:
    """The rows as byte chunks for a StreamingHttpResponse: CSV (a header, then COPY's rows) or a
    JSON array. COPY runs on a connection of its own in a thread feeding a bounded queue (see
    query.stream_csv), so memory stays flat whatever the size of the table."""
    columns, masked = _granted(columns, masked)
    connection = _connection(connection)
    statement = render(export_statement(table, columns, masked=masked, filters=filters, fmt=fmt), connection)
    params = connection.get_connection_params()
    head = (
        (b"\xef\xbb\xbf" if bom else b"") + csv_header(columns, header_names).encode("utf-8") if fmt == "csv" else b""
    )
    if any(c.encrypted for c in columns):
        from . import sealed

        lines = sealed.stream(
            statement, params, head=head, table=table, columns=columns, masked=masked, fmt=fmt, chunk_size=chunk_size
        )
        return lines if fmt == "csv" else _json_array(lines)
    if fmt == "csv":
        return stream_statement(statement, params, head, chunk_size, queue_size)
    return _json_array(stream_statement(statement, params, b"", chunk_size, queue_size))


def _json_array(lines: Iterator[bytes]) -> Iterator[bytes]:
    """Turn "obj\\nobj\\n" chunks into "[\\nobj\\n,obj\\n]" without holding more than one chunk."""
    yield b"["
    pending = b""
    try:
        for chunk in lines:
            if not chunk:
                continue
            data = pending + chunk.replace(b"\n", b"\n,")
            pending, out = data[-1:], data[:-1]
            if out:
                yield out
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()
    if pending and pending != b",":
        yield pending
    yield b"]\n"
