"""Masking (脱敏) of data tables and the personal-data detector (docs/features.md O5).

Seed 004 §10 ("数据脱敏": sensitive data is transformed by masking rules before it is shared or
opened) and Tongren art. 29 / Hechi art. 32 (sensitive data is opened only after masking).

Rules, one per data item, applied in SQL when a masked copy of a table is made
(``create_masked_table``: ``CREATE TABLE datastore.<target> AS SELECT <masked expressions>``).
Documented outputs (NULL always stays NULL; ``*`` replaces one character):

    none              不脱敏          the value, with its type                  张三 -> 张三
    hide              隐藏            ``***`` whatever the value               张三 -> ***
    keep_first n      保留前 n 位     first n characters, then one * each      13812345678, n=3 -> 138********
    keep_last n       保留后 n 位     one * each, then the last n characters   13812345678, n=4 -> *******5678
    keep_first_last   保留前 n 后 m 位 first n, * each, last m                 110101199003071234, 6/4 -> 110101********1234
    hash              哈希            hex SHA-256 of "<salt>:<value>" (64 characters); the salt is the
                                      dataset's own secret, so equal values stay linkable inside one
                                      dataset and cannot be looked up by hashing every ID number
    year              概化为年份      the year as an integer: a date, a date-time (portal time zone),
                                      or text starting with a date (2020-05-06, 2020/5/6, 2020年…); other
                                      text becomes NULL                         1990-03-07 -> 1990

The keep rules never give a value back unchanged: a value no longer than the characters to keep
becomes all ``*`` (张, keep_first 1 -> *). Dates and numbers are masked as their text (ISO dates).
Every masked item becomes text, except ``none`` (its own type) and ``year`` (integer).

The personal-data detector (``scan``, ``find_personal_data``) is in detector.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection as default_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg2 import sql

from .columns import LINE_COLUMN, ROW_COLUMN, TEXT_TYPES, Column, check_columns, check_identifier
from .sealed import TableCipher
from .sql import column_ref, render, table_ref
from .tables import has_line_column

NONE, HIDE, KEEP_FIRST, KEEP_LAST, KEEP_FIRST_LAST, HASH, YEAR = (
    "none",
    "hide",
    "keep_first",
    "keep_last",
    "keep_first_last",
    "hash",
    "year",
)

RULE_LABELS = {
    NONE: gettext_lazy("不脱敏"),
    HIDE: gettext_lazy("隐藏（***）"),
    KEEP_FIRST: gettext_lazy("保留前 n 位"),
    KEEP_LAST: gettext_lazy("保留后 n 位"),
    KEEP_FIRST_LAST: gettext_lazy("保留前 n 位和后 m 位"),
    HASH: gettext_lazy("替换为哈希值"),
    YEAR: gettext_lazy("日期概化为年份"),
}
RULES = tuple(RULE_LABELS)
MAX_KEEP = 50
HIDDEN = "***"
YEAR_TYPES = frozenset({"date", "datetime", "string"})


@dataclass(frozen=True)
class Rule:
    """The masking rule of one data item. first / last: characters kept by the keep rules."""

    kind: str = NONE
    first: int = 0
    last: int = 0

    @classmethod
    def from_dict(cls, data: dict | None) -> Rule:
        data = data or {}
        return cls(
            kind=data.get("rule") or data.get("kind") or NONE,
            first=_int(data.get("first")),
            last=_int(data.get("last")),
        )

    def as_dict(self) -> dict:
        return {"rule": self.kind, "first": self.first, "last": self.last}

    @property
    def label(self) -> str:
        if self.kind == KEEP_FIRST:
            return _("保留前 %(n)d 位") % {"n": self.first}
        if self.kind == KEEP_LAST:
            return _("保留后 %(n)d 位") % {"n": self.last}
        if self.kind == KEEP_FIRST_LAST:
            return _("保留前 %(n)d 位和后 %(m)d 位") % {"n": self.first, "m": self.last}
        return str(RULE_LABELS.get(self.kind, self.kind))

    @property
    def masks(self) -> bool:
        return self.kind != NONE

    def check(self, column: Column) -> None:
        """ValueError with a Chinese message when the rule does not fit the item."""
        name = column.name
        if self.kind not in RULES:
            raise ValueError(_("信息项「%(name)s」的脱敏规则无效。") % {"name": name})
        for value in (self.first, self.last):
            if not 0 <= value <= MAX_KEEP:
                raise ValueError(
                    _("信息项「%(name)s」保留的位数必须在 0 到 %(max)d 之间。") % {"name": name, "max": MAX_KEEP}
                )
        if self.kind == KEEP_FIRST and self.first < 1:
            raise ValueError(_("信息项「%(name)s」：请填写保留前几位（至少 1 位）。") % {"name": name})
        if self.kind == KEEP_LAST and self.last < 1:
            raise ValueError(_("信息项「%(name)s」：请填写保留后几位（至少 1 位）。") % {"name": name})
        if self.kind == KEEP_FIRST_LAST and (self.first < 1 or self.last < 1):
            raise ValueError(_("信息项「%(name)s」：请填写保留的前几位和后几位（各至少 1 位）。") % {"name": name})
        if self.kind == YEAR and column.type not in YEAR_TYPES:
            raise ValueError(_("信息项「%(name)s」不是日期，不能概化为年份。") % {"name": name})


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1  # refused by Rule.check


def _zone() -> sql.Literal:
    return sql.Literal(settings.TIME_ZONE or "UTC")


def text_expr(column: Column) -> sql.Composable:
    """The column as text: ISO dates, date-times in the portal's time zone, numbers as written."""
    ref = column_ref(column)
    if column.type in TEXT_TYPES:
        return ref
    if column.type == "date":
        return sql.SQL("to_char({}, 'YYYY-MM-DD')").format(ref)
    if column.type == "datetime":
        return sql.SQL("to_char({} AT TIME ZONE {}, 'YYYY-MM-DD HH24:MI:SS')").format(ref, _zone())
    return sql.SQL("{}::text").format(ref)


def masked_expr(column: Column, rule: Rule, *, salt: str = "") -> sql.Composable:
    """The SQL expression of the masked column (see the module doc for each rule's output)."""
    rule.check(column)
    ref = column_ref(column)
    if rule.kind == NONE:
        return ref
    if rule.kind == YEAR:
        if column.type == "date":
            return sql.SQL("extract(year FROM {})::integer").format(ref)
        if column.type == "datetime":
            return sql.SQL("extract(year FROM {} AT TIME ZONE {})::integer").format(ref, _zone())
        year_first = sql.Literal(r"^\s*([12][0-9]{3})([-/.年]|$)")
        return sql.SQL("CAST(substring({} FROM {}) AS integer)").format(ref, year_first)
    value = text_expr(column)
    if rule.kind == HIDE:
        body = sql.Literal(HIDDEN)
    elif rule.kind == HASH:
        body = sql.SQL("encode(sha256(convert_to({} || ':' || {}, 'UTF8')), 'hex')").format(sql.Literal(salt), value)
    else:
        first = rule.first if rule.kind in (KEEP_FIRST, KEEP_FIRST_LAST) else 0
        last = rule.last if rule.kind in (KEEP_LAST, KEEP_FIRST_LAST) else 0
        length = sql.SQL("char_length({})").format(value)
        body = sql.SQL(
            "CASE WHEN {len} <= {kept} THEN repeat('*', {len}) "
            "ELSE left({v}, {first}) || repeat('*', {len} - {kept}) || right({v}, {last}) END"
        ).format(len=length, kept=sql.Literal(first + last), v=value, first=sql.Literal(first), last=sql.Literal(last))
    return sql.SQL("CASE WHEN {} IS NULL THEN NULL ELSE {} END").format(ref, body)


def masked_column(column: Column, rule: Rule) -> Column:
    """The column as it is after masking: same key and name; its type changes with the rule."""
    if rule.kind == NONE:
        return Column(key=column.key, name=column.name, type=column.type, length=column.length)
    if rule.kind == YEAR:
        return Column(key=column.key, name=column.name, type="integer")
    return Column(key=column.key, name=column.name, type="string")


def python_hash(value: str, salt: str) -> str:
    """What the hash rule gives for a value (the same SHA-256 PostgreSQL computes)."""
    import hashlib

    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def create_masked_table(
    *, source: str, target: str, plan: list[tuple[Column, Rule]], salt: str = "", connection=None
) -> int:
    """CREATE TABLE datastore.<target> AS SELECT _row, <masked items> FROM datastore.<source>, with
    _row as primary key (the source's load order), and the source's _line (each row's file line, so
    that the check of the masked rows names the line of the uploaded file, SECURITY.md 14.21) when it has
    one; returns the number of rows. Runs on the caller's connection and transaction: a rollback
    removes the table."""
    check_identifier(source, _("数据表名"))
    check_identifier(target, _("数据表名"))
    if not plan:
        raise ValueError(_("至少需要一个信息项"))
    check_columns([column for column, _rule in plan])
    for column, rule in plan:
        rule.check(column)
    connection = connection if connection is not None else default_connection
    kept = [ROW_COLUMN] + ([LINE_COLUMN] if has_line_column(source, connection=connection) else [])
    # an encrypted item's column starts empty and is filled by fill_masked below (SQL cannot
    # read its ciphertext); the masked copy holds masked values only, never ciphertext
    fields = [column_ref(key) for key in kept] + [
        sql.SQL("{} AS {}").format(
            sql.SQL("CAST(NULL AS {})").format(sql.SQL(masked_column(column, rule).pg_type))
            if column.encrypted
            else masked_expr(column, rule, salt=salt),
            sql.Identifier(column.key),
        )
        for column, rule in plan
    ]
    create = sql.SQL("CREATE TABLE {} AS SELECT {} FROM {} ORDER BY {}").format(
        table_ref(target), sql.SQL(", ").join(fields), table_ref(source), column_ref(ROW_COLUMN)
    )
    with connection.cursor() as cursor:
        cursor.execute(render(create, connection))
        rows = cursor.rowcount
        cursor.execute(
            render(
                sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(table_ref(target), column_ref(ROW_COLUMN)),
                connection,
            )
        )
        fill_masked(source=source, target=target, plan=plan, salt=salt, connection=connection)
        cursor.execute(render(sql.SQL("ANALYZE {}").format(table_ref(target)), connection))
    return rows


# ---------------------------------------------------------------------------------------------
# masked copies (open data) of encrypted items: the masking rules applied in Python

_YEAR_FIRST = r"^\s*([12][0-9]{3})([-/.年]|$)"


def _as_text(column: Column, text: str) -> str:
    """text_expr's text of a decrypted value (date-times local, to the second)."""
    if column.type == "datetime":
        import datetime as dt

        from .validate import local_zone

        return dt.datetime.fromisoformat(text).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S")
    return text


def mask_by_rule(column: Column, rule, text: str | None, salt: str = ""):
    """What masked_expr gives for a decrypted value (the module doc of py)."""
    import re

    if text is None:
        return None
    if rule.kind == NONE:
        return text
    if rule.kind == YEAR:
        if column.type in ("date", "datetime"):
            return int(_as_text(column, text)[:4])
        found = re.match(_YEAR_FIRST, text)
        return int(found.group(1)) if found else None
    value = _as_text(column, text)
    if rule.kind == HIDE:
        return HIDDEN
    if rule.kind == HASH:
        return python_hash(value, salt)
    first = rule.first if rule.kind in (KEEP_FIRST, KEEP_FIRST_LAST) else 0
    last = rule.last if rule.kind in (KEEP_LAST, KEEP_FIRST_LAST) else 0
    if len(value) <= first + last:
        return "*" * len(value)
    return value[:first] + "*" * (len(value) - first - last) + (value[-last:] if last else "")


def fill_masked(*, source: str, target: str, plan: list, salt: str, connection, batch: int = 2000) -> None:
    """Set the encrypted items' columns of the masked copy target (made with NULLs for them) from
    source's decrypted values, masked by their rules, in batches, in the caller's transaction."""
    from psycopg2 import sql
    from psycopg2.extras import execute_values

    from .sql import column_ref, render, table_ref

    sealed = [(column, rule) for column, rule in plan if column.encrypted]
    if not sealed:
        return
    cipher = TableCipher(source)
    names = [column_ref(column) for column, _rule in sealed]
    select = sql.SQL("SELECT _row, {}, _line FROM {} ORDER BY _row").format(
        sql.SQL(", ").join(names), table_ref(source)
    )
    update = sql.SQL("UPDATE {} AS t SET {} FROM (VALUES %s) AS v (_row, {}) WHERE t._row = v._row").format(
        table_ref(target),
        sql.SQL(", ").join(sql.SQL("{0} = v.{0}").format(n) for n in names),
        sql.SQL(", ").join(names),
    )
    types = []
    for column, rule in sealed:
        types.append(masked_column(column, rule).pg_type)
    template = "(%s" + "".join(f", %s::{t}" for t in types) + ")"
    with connection.chunked_cursor() as reader, connection.cursor() as writer:
        reader.cursor.itersize = batch
        reader.execute(render(select, connection))
        statement = render(update, connection)
        while rows := reader.fetchmany(batch):
            values = [
                [row[0]]
                + [
                    mask_by_rule(column, rule, None if blob is None else cipher.open(column.key, blob, row[-1]), salt)
                    for (column, rule), blob in zip(sealed, row[1:-1])
                ]
                for row in rows
            ]
            execute_values(writer.cursor, statement, values, template=template, page_size=len(values))
