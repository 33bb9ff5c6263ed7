"""Masking (脱敏) of data tables and the personal-data detector (spec O5).

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

The detector (``scan``) finds personal data in the text of any text or number column, whatever
the item's name: valid 18-digit resident ID numbers (check digit and birth date, stdnum.cn.ric),
mainland mobile numbers, bank card numbers (16-19 digits, Luhn), e-mail addresses and unified
social credit codes of individuals (个体工商户, code starting 92, check digit valid). PostgreSQL
picks candidate rows with one regular expression in one pass over the table (server-side cursor,
constant memory); Python confirms each candidate with the exact checks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection as default_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg2 import sql
from stdnum import luhn
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_code

from .columns import ROW_COLUMN, TEXT_TYPES, Column, check_columns, check_identifier
from .sql import column_ref, render, table_ref

NONE, HIDE, KEEP_FIRST, KEEP_LAST, KEEP_FIRST_LAST, HASH, YEAR = (
    "none", "hide", "keep_first", "keep_last", "keep_first_last", "hash", "year")

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
# Columns whose text the detector reads: text types and numbers (a bigint can hold an ID number).
SCANNED_TYPES = TEXT_TYPES | {"integer", "decimal"}


@dataclass(frozen=True)
class Rule:
    """The masking rule of one data item. first / last: characters kept by the keep rules."""

    kind: str = NONE
    first: int = 0
    last: int = 0

    @classmethod
    def from_dict(cls, data: dict | None) -> Rule:
        data = data or {}
        return cls(kind=data.get("rule") or data.get("kind") or NONE, first=_int(data.get("first")),
                   last=_int(data.get("last")))

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
                raise ValueError(_("信息项「%(name)s」保留的位数必须在 0 到 %(max)d 之间。") % {"name": name, "max": MAX_KEEP})
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
        ).format(len=length, kept=sql.Literal(first + last), v=value, first=sql.Literal(first),
                 last=sql.Literal(last))
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

    return hashlib.sha256(f"{salt}:{value}".encode("utf-8")).hexdigest()


def create_masked_table(*, source: str, target: str, plan: list[tuple[Column, Rule]], salt: str = "",
                        connection=None) -> int:
    """CREATE TABLE datastore.<target> AS SELECT _row, <masked items> FROM datastore.<source>, with
    _row as primary key (the source's load order); returns the number of rows. Runs on the caller's
    connection and transaction: a rollback removes the table."""
    check_identifier(source, _("数据表名"))
    check_identifier(target, _("数据表名"))
    if not plan:
        raise ValueError(_("至少需要一个信息项"))
    check_columns([column for column, _rule in plan])
    connection = connection if connection is not None else default_connection
    fields = [column_ref(ROW_COLUMN)] + [
        sql.SQL("{} AS {}").format(masked_expr(column, rule, salt=salt), sql.Identifier(column.key))
        for column, rule in plan
    ]
    create = sql.SQL("CREATE TABLE {} AS SELECT {} FROM {} ORDER BY {}").format(
        table_ref(target), sql.SQL(", ").join(fields), table_ref(source), column_ref(ROW_COLUMN))
    with connection.cursor() as cursor:
        cursor.execute(render(create, connection))
        rows = cursor.rowcount
        cursor.execute(render(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(
            table_ref(target), column_ref(ROW_COLUMN)), connection))
        cursor.execute(render(sql.SQL("ANALYZE {}").format(table_ref(target)), connection))
    return rows


# ---------------------------------------------------------------------------------------------
# the personal-data detector

ID_NUMBER, MOBILE, BANK_CARD, EMAIL, PERSON_USCC = "id_number", "mobile", "bank_card", "email", "person_uscc"
KIND_LABELS = {
    ID_NUMBER: gettext_lazy("身份证号"),
    MOBILE: gettext_lazy("手机号码"),
    BANK_CARD: gettext_lazy("银行卡号"),
    EMAIL: gettext_lazy("电子邮箱"),
    PERSON_USCC: gettext_lazy("个体工商户统一社会信用代码"),
}

# Rows PostgreSQL hands to Python: a run of 11+ digits (spaces and hyphens allowed inside), an @,
# or a credit code of an individual business.
PREFILTER = r"[0-9][0-9 -]{9,}[0-9Xx]|@|9[12][0-9A-Za-z]{16}"
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                    r"[0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
# numbers stand alone: not inside a longer run of letters and digits (a credit code, a licence number)
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4})(?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])([0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9A-Za-z])")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PERSON_USCC_RE = re.compile(r"(?<![0-9A-Za-z])(92[0-9]{6}[0-9A-Za-z]{10})(?![0-9A-Za-z])")


def _uscc_valid(code: str) -> bool:
    """The credit code's own check digit (GB 32100-2015), as the datastore's loader checks it."""
    try:
        return len(code) == 18 and uscc_code.calc_check_digit(code[:17]) == code[17]
    except Exception:  # stdnum: a character outside the code's alphabet
        return False


def _digits(text: str) -> str:
    return text.replace(" ", "").replace("-", "")


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, the matched text) for each piece of personal data in text, in the order of KIND_LABELS."""
    if not text:
        return []
    found = []
    ids = set()
    for match in _ID_RE.finditer(text):
        number = match.group(1).upper()
        if ric.is_valid(number):
            found.append((ID_NUMBER, match.group(1)))
            ids.add(number)
    for match in _MOBILE_RE.finditer(text):
        found.append((MOBILE, match.group(1)))
    for match in _CARD_RE.finditer(text):
        number = _digits(match.group(1))
        # an all-digit credit code of an organisation is not a card, even when it passes Luhn
        if 16 <= len(number) <= 19 and number not in ids and luhn.is_valid(number) and not (
                len(number) == 18 and _uscc_valid(number)):
            found.append((BANK_CARD, match.group(1)))
    for match in _EMAIL_RE.finditer(text):
        found.append((EMAIL, match.group(0)))
    for match in _PERSON_USCC_RE.finditer(text):
        code = match.group(1).upper()
        if _uscc_valid(code):
            found.append((PERSON_USCC, match.group(1)))
    return found


def example(token: str) -> str:
    """A found value shown in a message without giving it away: 110***********34."""
    token = str(token)
    keep_first = 3 if len(token) > 6 else 1
    keep_last = 2 if len(token) > 6 else 0
    return token[:keep_first] + "*" * max(len(token) - keep_first - keep_last, 1) + token[len(token) - keep_last:]


@dataclass
class Finding:
    """Unmasked personal data: the item, its kind, the first row it is in, a masked example."""

    column: Column
    kind: str
    row: int
    example: str

    @property
    def message(self) -> str:
        return _("信息项「%(item)s」含未脱敏的%(kind)s（第 %(row)d 行，如 %(example)s），请为该信息项选择脱敏规则。") % {
            "item": self.column.name, "kind": KIND_LABELS[self.kind], "row": self.row, "example": self.example}

    def as_dict(self) -> dict:
        return {"item": self.column.key, "name": self.column.name, "kind": self.kind, "row": self.row,
                "example": self.example, "message": self.message}


@dataclass
class ScanReport:
    rows: int = 0
    columns: list[str] = field(default_factory=list)  # keys of the columns read
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict:
        return {"rows": self.rows, "columns": self.columns, "findings": [f.as_dict() for f in self.findings]}


def scan(table: str, columns: list[Column], *, skip: set[str] | frozenset = frozenset(), connection=None,
         batch: int = 2000) -> ScanReport:
    """Look for personal data in every text or number column of the table (except the keys in skip):
    one finding per column at most (its first row). One pass over the table, on the caller's
    connection (so it sees the caller's uncommitted tables), through a server-side cursor."""
    check_identifier(table, _("数据表名"))
    connection = connection if connection is not None else default_connection
    scanned = [c for c in check_columns(columns) if c.type in SCANNED_TYPES and c.key not in skip]
    report = ScanReport(columns=[c.key for c in scanned])
    with connection.cursor() as cursor:
        cursor.execute(render(sql.SQL("SELECT count(*) FROM {}").format(table_ref(table)), connection))
        report.rows = cursor.fetchone()[0]
    if not scanned or not report.rows:
        return report
    texts = [text_expr(c) for c in scanned]
    # one regular expression per row, over the row's texts joined by a unit separator (which the
    # pattern cannot match, so nothing is found across two columns); Python then checks each column
    joined = sql.SQL("concat_ws(chr(31), {})").format(sql.SQL(", ").join(texts))
    query = sql.SQL("SELECT {row}, {fields} FROM {table} WHERE {joined} ~ {pattern} ORDER BY {row}").format(
        row=column_ref(ROW_COLUMN), fields=sql.SQL(", ").join(texts), table=table_ref(table), joined=joined,
        pattern=sql.Literal(PREFILTER))
    pending = dict(enumerate(scanned))
    with connection.chunked_cursor() as cursor:
        cursor.cursor.itersize = batch
        cursor.execute(render(query, connection))
        for record in cursor:
            for index in list(pending):
                value = record[index + 1]
                if value is None:
                    continue
                hits = find_personal_data(value)
                if hits:
                    kind, token = hits[0]
                    report.findings.append(Finding(pending.pop(index), kind, record[0], example(token)))
            if not pending:
                break
    report.findings.sort(key=lambda f: [c.key for c in scanned].index(f.column.key))
    return report
