"""Building the datastore's SQL with psycopg2.sql: identifiers quoted, values bound.

Nothing here concatenates strings into SQL. Table names and column keys are checked as plain
identifiers *and* quoted with ``sql.Identifier``; values travel as ``%s`` placeholders, or, for
``COPY`` (which takes no parameters), as ``sql.Literal`` quoted by psycopg2 itself.

``Select`` is the small builder the reading functions share; compare, statistics and masking
build on it (extra fields with expressions, ``where_equal`` filters, ``group_by``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from psycopg2 import sql

from .columns import LINE_COLUMN, ROW_COLUMN, SCHEMA, TEXT_TYPES, Column, check_identifier

# cells starting with one of these are taken for formulas by spreadsheet programs (OWASP CSV
# injection); tab and carriage return are on OWASP's list too
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_ref(table: str) -> sql.Composable:
    """datastore."<table>" """
    return sql.Identifier(SCHEMA, check_identifier(table, _("数据表名")))


def column_ref(column: Column | str) -> sql.Identifier:
    key = column.key if isinstance(column, Column) else column
    if key not in (ROW_COLUMN, LINE_COLUMN):
        check_identifier(key, _("信息项标识"))
    return sql.Identifier(key)


def index_ref(column: Column) -> sql.Identifier:
    """The blind-index column of an encrypted item."""
    return sql.Identifier(column.index_key)


def refuse_encrypted(column: Column, what: str) -> None:
    """ValueError for an operation SQL cannot do on ciphertext (ordering, grouping, sums)."""
    if column.encrypted:
        raise ValueError(_("信息项「%(name)s」加密存储，不能%(what)s") % {"name": column.name, "what": what})


def render(query: sql.Composable, connection) -> str:
    """The statement as text, quoted by psycopg2 for the (Django) connection's encoding."""
    connection.ensure_connection()
    return query.as_string(connection.connection)


def neutralised(expr: sql.Composable) -> sql.Composable:
    """expr, with a ' in front when it starts like a spreadsheet formula."""
    starts = sql.SQL(", ").join(sql.Literal(s) for s in FORMULA_STARTS)
    return sql.SQL("CASE WHEN left({e}, 1) IN ({starts}) THEN {quote} || {e} ELSE {e} END").format(
        e=expr, starts=starts, quote=sql.Literal("'")
    )


def export_expr(column: Column) -> sql.Composable:
    """How a column is written to a CSV download: text safe from formula injection, dates and
    times in ISO form in the portal's time zone (independent of the session's DateStyle and
    TimeZone), booleans as true/false."""
    ref = column_ref(column)
    if column.encrypted:
        return ref  # ciphertext: decrypted and neutralised in Python (sealed.encode)
    if column.type in TEXT_TYPES:
        return neutralised(ref)
    if column.type == "date":
        return sql.SQL("to_char({}, 'YYYY-MM-DD')").format(ref)
    if column.type == "datetime":
        local = sql.SQL("({} AT TIME ZONE {})").format(ref, sql.Literal(settings.TIME_ZONE or "UTC"))
        return sql.SQL(
            "to_char({t}, 'YYYY-MM-DD HH24:MI:SS') "
            "|| CASE WHEN mod(extract(microseconds FROM {t})::bigint, 1000000) <> 0 THEN to_char({t}, '.US') ELSE '' END"
        ).format(t=local)
    if column.type == "boolean":
        return sql.SQL("{}::text").format(ref)
    return ref


@dataclass
class Select:
    """SELECT <fields> FROM datastore.<table> [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT/OFFSET]."""

    table: str
    fields: list[sql.Composable] = field(default_factory=list)
    where: list[sql.Composable] = field(default_factory=list)
    params: list = field(default_factory=list)
    group_by: list[sql.Composable] = field(default_factory=list)
    order: list[sql.Composable] = field(default_factory=list)
    limit: int | None = None
    offset: int | None = None

    def __post_init__(self):
        check_identifier(self.table, _("数据表名"))

    def add_field(self, expr: sql.Composable, alias: str | None = None) -> Select:
        if alias is not None:
            expr = sql.SQL("{} AS {}").format(expr, sql.Identifier(alias))
        self.fields.append(expr)
        return self

    def add_columns(self, columns: list[Column]) -> Select:
        for column in columns:
            self.add_field(column_ref(column))
        return self

    def where_equal(self, column: Column, text_value: str) -> Select:
        """column = CAST(value AS its type); text_value is PostgreSQL input text for the type.
        An encrypted column is compared by its blind index: the value's keyed hash."""
        if column.encrypted:
            self.where.append(sql.SQL("{} = {}").format(index_ref(column), sql.Placeholder()))
            self.params.append(blind_index(text_value))
            return self
        self.where.append(
            sql.SQL("{} = CAST({} AS {})").format(column_ref(column), sql.Placeholder(), sql.SQL(column.pg_type))
        )
        self.params.append(text_value)
        return self

    def order_by(self, column: Column | str, descending: bool = False) -> Select:
        if isinstance(column, Column):
            refuse_encrypted(column, _("排序"))
        direction = sql.SQL(" DESC") if descending else sql.SQL("")
        self.order.append(sql.SQL("{}{}").format(column_ref(column), direction))
        return self

    def _body(self, fields: sql.Composable, *, ordered: bool = True, paged: bool = True) -> sql.Composed:
        parts = [sql.SQL("SELECT {} FROM {}").format(fields, table_ref(self.table))]
        if self.where:
            parts.append(sql.SQL(" WHERE ") + sql.SQL(" AND ").join(self.where))
        if self.group_by:
            parts.append(sql.SQL(" GROUP BY ") + sql.SQL(", ").join(self.group_by))
        if ordered and self.order:
            parts.append(sql.SQL(" ORDER BY ") + sql.SQL(", ").join(self.order))
        if paged and self.limit is not None:
            parts.append(sql.SQL(" LIMIT {}").format(sql.Literal(int(self.limit))))
        if paged and self.offset:
            parts.append(sql.SQL(" OFFSET {}").format(sql.Literal(int(self.offset))))
        return sql.Composed(parts)

    def build(self) -> tuple[sql.Composed, list]:
        """The statement with %s placeholders, and its parameters."""
        if not self.fields:
            raise ValueError("a SELECT needs at least one field")
        return self._body(sql.SQL(", ").join(self.fields)), list(self.params)

    def build_count(self) -> tuple[sql.Composed, list]:
        """SELECT count(*) with the same filters, no order and no paging."""
        return self._body(sql.SQL("count(*)"), ordered=False, paged=False), list(self.params)

    def build_inline(self) -> sql.Composed:
        """The statement with its values as literals (quoted by psycopg2), for COPY (...) TO STDOUT."""
        query, params = self.build()
        values = iter(params)
        return _replace_placeholders(query, values)


def blind_index(text_value: str) -> bytes:
    """The platform's keyed hash of a normalised value (protection.encryption's index key)."""
    from protection.encryption.services import index_key

    return index_key().blind_index(text_value.encode("utf-8"))


def _replace_placeholders(query: sql.Composable, values) -> sql.Composable:
    if isinstance(query, sql.Placeholder):
        return sql.Literal(next(values))
    if isinstance(query, sql.Composed):
        return sql.Composed([_replace_placeholders(part, values) for part in query.seq])
    return query
