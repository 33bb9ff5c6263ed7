"""The personal-data detector (docs/features.md O5): is there unmasked personal data in a table's text?

``scan`` finds personal data in the text of any text or number column, whatever the item's name:
valid 18-digit resident ID numbers (check digit and birth date, stdnum.cn.ric), mainland mobile
numbers, bank card numbers (16-19 digits, Luhn), e-mail addresses and unified social credit codes
of individuals (个体工商户, code starting 92, check digit valid). PostgreSQL picks candidate rows
with one regular expression in one pass over the table (server-side cursor, constant memory);
Python confirms each candidate with the exact checks.

SECURITY.md 14.12: values are normalised before matching, for every kind: NFKC (full-width digits and
letters, ``＠``, ideographic and no-break spaces become ASCII) and separators dropped (a number
may be written in groups divided by spaces or dashes: ``110101 19900307 1234``,
``138-1234-5678``, ``6222 0212 3456 7890``). The text is cut into runs of letters and digits
joined by separators; every window of consecutive groups of a run is checked as one compact value
(so ``+86 138 1234 5678`` and two numbers side by side are both found). The PostgreSQL pre-filter
accepts every character that NFKC turns into a digit, letter, ``@``, space or dash, so that it
never drops a row the Python check would find something in.

Findings name the line of the uploaded file (header = line 1, SECURITY.md 14.21), as the loader's
errors do: tables loaded since carry each row's file line in ``_line``; for an older table (or a
row put there another way) row n is taken as line n + 1.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection as default_connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg2 import sql
from stdnum import luhn
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_code

from .columns import LINE_COLUMN, ROW_COLUMN, TEXT_TYPES, Column, check_columns, check_identifier
from .sql import column_ref, render, table_ref
from .tables import has_line_column

ID_NUMBER, MOBILE, BANK_CARD, EMAIL, PERSON_USCC = "id_number", "mobile", "bank_card", "email", "person_uscc"
KIND_LABELS = {
    ID_NUMBER: gettext_lazy("身份证号"),
    MOBILE: gettext_lazy("手机号码"),
    BANK_CARD: gettext_lazy("银行卡号"),
    EMAIL: gettext_lazy("电子邮箱"),
    PERSON_USCC: gettext_lazy("个体工商户统一社会信用代码"),
}
# Columns whose text the detector reads: text types and numbers (a bigint can hold an ID number).
SCANNED_TYPES = TEXT_TYPES | {"integer", "decimal"}

# Dashes NFKC leaves alone (hyphen, non-breaking hyphen, figure dash, en and em dash, minus sign).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TO_ASCII = str.maketrans(dict.fromkeys(_DASHES, "-"))
# Letters and digits joined by up to three spaces or dashes between groups.
_RUN = re.compile(r"[0-9A-Za-z]+(?:[ -]{1,3}[0-9A-Za-z]+)*")
_GROUP_SEPARATORS = re.compile(r"[ -]+")
_ID_SHAPE = re.compile(r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]")
_MOBILE_SHAPE = re.compile(r"(?:86|0086)?(1[3-9][0-9]{9})")
_PERSON_USCC_SHAPE = re.compile(r"92[0-9]{6}[0-9A-Z]{10}")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
LONGEST = 19  # characters of the longest value a window can be (a 19-digit card)


def normalise(text: str) -> str:
    """The text the detector matches: NFKC, and every dash an ASCII hyphen-minus."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_TO_ASCII)


def _uscc_valid(code: str) -> bool:
    """The credit code's own check digit (GB 32100-2015), as the datastore's loader checks it."""
    try:
        return len(code) == 18 and uscc_code.calc_check_digit(code[:17]) == code[17]
    except Exception:  # noqa: BLE001 - stdnum: a character outside the code's alphabet
        return False


_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})  # mobile (bare, 86-, 0086-), cards, ID numbers, credit codes


def _windows(run: str) -> list[tuple[str, list[str]]]:
    """(compact value, groups) for every window of consecutive groups of the run whose compact length
    is one a finding can have (no longer than LONGEST)."""
    groups = _GROUP_SEPARATORS.split(run)
    if len(groups) == 1:
        return [(run.upper(), groups)] if len(run) in _LENGTHS else []
    windows = []
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length > LONGEST:
                break
            if length in _LENGTHS:
                windows.append(("".join(groups[start : end + 1]).upper(), groups[start : end + 1]))
    return windows


def _grouped_plainly(groups: list[str]) -> bool:
    """Mobile and card numbers are written in groups of 3 or more digits (the last one may be shorter):
    a window of short groups is more likely a list of small numbers than one number."""
    return all(len(g) >= 3 for g in groups[:-1])


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, the value found, normalised and without separators) for each piece of personal data in
    text, in the order of KIND_LABELS; each value once."""
    if not text:
        return []
    text = normalise(str(text))
    found: dict[str, dict[str, None]] = {kind: {} for kind in KIND_LABELS}
    for run in _RUN.finditer(text):
        windows = _windows(run.group(0))
        if not windows:
            continue
        ids = set()
        for compact, _groups in windows:
            if len(compact) != 18:
                continue
            # the check digit first: stdnum's full check (birth place by county) is the slow part
            if _ID_SHAPE.fullmatch(compact) and ric.calc_check_digit(compact) == compact[17] and ric.is_valid(compact):
                found[ID_NUMBER][compact] = None
                ids.add(compact)
            elif _PERSON_USCC_SHAPE.fullmatch(compact) and _uscc_valid(compact):
                found[PERSON_USCC][compact] = None
        for compact, groups in windows:
            if not compact.isdigit() or not _grouped_plainly(groups):
                continue
            mobile = _MOBILE_SHAPE.fullmatch(compact)
            if mobile:
                found[MOBILE][mobile.group(1)] = None
            # an ID number or an all-digit credit code of an organisation is not a card, even when it passes Luhn
            elif (
                len(compact) >= 16
                and compact not in ids
                and luhn.is_valid(compact)
                and not (len(compact) == 18 and _uscc_valid(compact))
            ):
                found[BANK_CARD][compact] = None
    if "@" in text:
        for match in _EMAIL_RE.finditer(text):
            found[EMAIL][match.group(0)] = None
    return [(kind, value) for kind, values in found.items() for value in values]


def example(token: str) -> str:
    """A found value shown in a message without giving it away: 110***********34."""
    token = str(token)
    keep_first = 3 if len(token) > 6 else 1
    keep_last = 2 if len(token) > 6 else 0
    return token[:keep_first] + "*" * max(len(token) - keep_first - keep_last, 1) + token[len(token) - keep_last :]


# ---------------------------------------------------------------------------------------------
# the pre-filter in PostgreSQL


_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=1)
def _folding() -> tuple[tuple[int, str], ...]:
    """(code point, its form) for every character that normalise() turns into digits, letters, spaces,
    hyphens or @ only (one pass over all code points)."""
    alphabet = set(_DIGITS + _LETTERS + " -@")
    folding = []
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        form = unicodedata.normalize("NFKC", chr(point)).translate(_TO_ASCII)
        if form and set(form) <= alphabet:
            folding.append((point, form))
    return tuple(folding)


def _bracket(points) -> str:
    """A bracket expression of these code points. None of them is special in a bracket but "-",
    which goes first (a literal there)."""
    points = sorted(set(points))
    dash = ord("-") in points
    points = [p for p in points if p != ord("-")]
    parts, start = [], None
    for index, point in enumerate(points):
        if start is None:
            start = point
        if index + 1 == len(points) or points[index + 1] != point + 1:
            parts.append(chr(start) if start == point else f"{chr(start)}-{chr(point)}")
            start = None
    return "[" + ("-" if dash else "") + "".join(parts) + "]"


def _like(targets: str, extra: str = "") -> str:
    """Every character that normalise() makes one character of `targets`, and `extra`, as a bracket."""
    return _bracket([p for p, form in _folding() if len(form) == 1 and form in targets] + [ord(c) for c in extra])


@lru_cache(maxsize=1)
def prefilter() -> str:
    """The regular expression PostgreSQL selects candidate rows with: a run of 11 or more digits and
    separators, an @, or a credit code of an individual business, each in any form that normalise()
    folds to them; and any character it expands to several digits (⑫: rare, and a run of them is
    shorter than the digits it stands for). So no row the Python check would find something in is
    left out. Computed once per process (every code point is normalised once)."""
    digit, last = _like(_DIGITS), _like(_DIGITS + "Xx")
    digit_or_separator = _like(_DIGITS + " -", extra=_DASHES)
    separator = _like(" -", extra=_DASHES)
    alnum = _like(_DIGITS + _LETTERS)
    expanding = _bracket(p for p, form in _folding() if len(form) > 1 and form.isdigit())
    return (
        f"{digit}{digit_or_separator}{{9,}}{last}|{_like('@')}"
        f"|{_like('9')}{_like('12')}(?:{separator}?{alnum}){{16}}|{expanding}"
    )


# ---------------------------------------------------------------------------------------------
# scanning a table


@dataclass
class Finding:
    """Unmasked personal data: the item, its kind, the file line of the first row it is in (header =
    line 1), a masked example."""

    column: Column
    kind: str
    line: int
    example: str

    @property
    def message(self) -> str:
        return _(
            "信息项「%(item)s」含未脱敏的%(kind)s（文件第 %(line)d 行，表头为第 1 行；如 %(example)s），"
            "请为该信息项选择脱敏规则。"
        ) % {"item": self.column.name, "kind": KIND_LABELS[self.kind], "line": self.line, "example": self.example}

    def as_dict(self) -> dict:
        return {
            "item": self.column.key,
            "name": self.column.name,
            "kind": self.kind,
            "line": self.line,
            "example": self.example,
            "message": self.message,
        }


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


def scan(
    table: str, columns: list[Column], *, skip: set[str] | frozenset = frozenset(), connection=None, batch: int = 2000
) -> ScanReport:
    """Look for personal data in every text or number column of the table (except the keys in skip):
    one finding per column at most (its first row). One pass over the table, on the caller's
    connection (so it sees the caller's uncommitted tables), through a server-side cursor."""
    check_identifier(table, _("数据表名"))
    connection = connection if connection is not None else default_connection
    # encrypted items are already known to be sensitive (and SQL cannot read their ciphertext)
    scanned = [c for c in check_columns(columns) if c.type in SCANNED_TYPES and c.key not in skip and not c.encrypted]
    report = ScanReport(columns=[c.key for c in scanned])
    with connection.cursor() as cursor:
        cursor.execute(render(sql.SQL("SELECT count(*) FROM {}").format(table_ref(table)), connection))
        report.rows = cursor.fetchone()[0]
    if not scanned or not report.rows:
        return report
    from .masking import text_expr

    texts = [text_expr(c) for c in scanned]
    line = sql.SQL("{} + 1").format(column_ref(ROW_COLUMN))
    if has_line_column(table, connection=connection):
        line = sql.SQL("coalesce({}, {})").format(column_ref(LINE_COLUMN), line)
    # one regular expression per row, over the row's texts joined by a unit separator (which the
    # pattern cannot match, so nothing is found across two columns); Python then checks each column
    joined = sql.SQL("concat_ws(chr(31), {})").format(sql.SQL(", ").join(texts))
    query = sql.SQL("SELECT {line}, {fields} FROM {table} WHERE {joined} ~ {pattern} ORDER BY {row}").format(
        line=line,
        row=column_ref(ROW_COLUMN),
        fields=sql.SQL(", ").join(texts),
        table=table_ref(table),
        joined=joined,
        pattern=sql.Literal(prefilter()),
    )
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
