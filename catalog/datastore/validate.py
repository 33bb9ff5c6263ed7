"""Checking and normalising one cell against the type of its data item.

``normalise(column, value)`` takes what a reader produced (a ``str`` from a CSV file, or the
Python value openpyxl read from an XLSX cell) and returns the value as PostgreSQL text input
for the column's type (``None`` for an empty cell), or raises ``CellError`` with a Chinese
reason. The same function normalises filter values in queries, so a filter matches what a
load stored (full-width digits, ``2024/1/5``, a lower-case ``x`` in an ID number...).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from .columns import TYPES, Column

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# numeric accepts far more; this keeps a hostile "1e999999999" from becoming a huge string
DECIMAL_MAX_EXPONENT = 1000

# Values openpyxl returns for cells holding an Excel error.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})

# First two digits of resident identity numbers: provinces (GB/T 2260), 81/82/83 residence
# permits of Hong Kong, Macao and Taiwan residents; 9x: permanent residence ID of foreigners (2023).
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")

TRUE_WORDS = frozenset({"是", "true", "1", "y", "yes", "t"})
FALSE_WORDS = frozenset({"否", "false", "0", "n", "no", "f"})

_INTEGER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0*)?", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\d{1,3}(?:,\d{3})+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?", re.ASCII)
_DATE = (
    r"(?:(?P<y1>\d{4})(?P<sep>[-/.])(?P<m1>\d{1,2})(?P=sep)(?P<d1>\d{1,2})"
    r"|(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2})"
    r"|(?P<y3>\d{4})\s*年\s*(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日)"
)
_DATE_ONLY = re.compile(_DATE + r"(?:[ T]0?0:00(?::00(?:\.0+)?)?)?", re.ASCII)
_DATETIME = re.compile(
    _DATE + r"(?:(?:[ T]|\s*)(?:(?P<H1>\d{1,2}):(?P<M1>\d{2})(?::(?P<S1>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"|(?P<H2>\d{1,2})\s*[时點点]\s*(?P<M2>\d{1,2})\s*分(?:\s*(?P<S2>\d{1,2})\s*秒)?)"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_PHONE_PREFIX = re.compile(r"(?:\+86|0086|86)-?(?=1\d{10}$)", re.ASCII)
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"\d+(?:-\d+)+", re.ASCII)


class CellError(Exception):
    """A cell that does not fit its data item; ``reason`` is the Chinese explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=4)
def _zone(name: str) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(name)


def local_zone() -> dt.tzinfo:
    """The portal's time zone (settings.TIME_ZONE): naive date-times are read in it."""
    return _zone(settings.TIME_ZONE or "UTC")


def _fold(text: str) -> str:
    """Full-width digits, letters, punctuation and spaces to their ASCII forms."""
    return unicodedata.normalize("NFKC", text) if not text.isascii() else text


def _number_text(value) -> str:
    """An Excel number as the text a person sees (12.0 -> "12", 1e20 -> "100000000000000000000")."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("数值无效"))
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _plain_text(value) -> str:
    """Any value openpyxl returns, as text."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# one function per type: (column, value) -> PostgreSQL input text; value is a non-empty
# stripped str or a non-str Python value from openpyxl


def _string(column: Column, value) -> str:
    if not isinstance(value, str):
        value = _plain_text(value)
    if column.length is not None and len(value) > column.length:
        raise CellError(
            _("长度为 %(actual)s 个字符，超过上限 %(limit)s") % {"actual": len(value), "limit": column.length}
        )
    return value


def _integer(column: Column, value) -> str:
    if isinstance(value, bool):
        raise CellError(_("应为整数"))
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            raise CellError(_("应为整数"))
        value = int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = _fold(value)
        if not _INTEGER.fullmatch(text):
            raise CellError(_("应为整数"))
        number = int(text.split(".", 1)[0].replace(",", ""))
    else:
        raise CellError(_("应为整数"))
    if not INT_MIN <= number <= INT_MAX:
        raise CellError(_("超出整数范围"))
    return str(number)


def _decimal(column: Column, value) -> str:
    if isinstance(value, bool):
        raise CellError(_("应为数值"))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("应为数值"))
        number = Decimal(repr(value))
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, str):
        text = _fold(value)
        if not _DECIMAL.fullmatch(text):
            raise CellError(_("应为数值"))
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise CellError(_("应为数值")) from None
    else:
        raise CellError(_("应为数值"))
    if not number.is_finite() or abs(number.adjusted()) > DECIMAL_MAX_EXPONENT:
        raise CellError(_("数值超出范围"))
    text = format(number, "f")
    if column.length is not None:
        digits = sum(c.isdigit() for c in text.lstrip("-+").lstrip("0.") or "0")
        if digits > column.length:
            raise CellError(
                _("有 %(actual)s 位数字，超过上限 %(limit)s 位") % {"actual": digits, "limit": column.length}
            )
    return text


def _date_from_match(match) -> dt.date:
    for n in "123":
        if match.group("y" + n):
            year, month, day = (int(match.group(p + n)) for p in "ymd")
            break
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("日期无效")) from None


def _date(column: Column, value) -> str:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(_("应为日期，不应含时间"))
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise CellError(_("应为日期（如 2024-01-31）"))
    match = _DATE_ONLY.fullmatch(_fold(value))
    if not match:
        raise CellError(_("应为日期（如 2024-01-31、2024/1/31、20240131 或 2024年1月31日）"))
    return _date_from_match(match).isoformat()


def _datetime(column: Column, value) -> str:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0))
    elif isinstance(value, str):
        match = _DATETIME.fullmatch(_fold(value))
        if not match:
            raise CellError(_("应为日期时间（如 2024-01-31 08:30:00）"))
        day = _date_from_match(match)
        hour, minute, second = (match.group(p + "1") or match.group(p + "2") for p in "HMS")
        fraction = (match.group("f") or "").ljust(6, "0")
        try:
            moment = dt.datetime.combine(
                day, dt.time(int(hour or 0), int(minute or 0), int(second or 0), int(fraction or 0))
            )
        except ValueError:
            raise CellError(_("时间无效")) from None
        zone = match.group("tz")
        if zone:
            if zone == "Z":
                offset = dt.timedelta(0)
            else:
                digits = zone[1:].replace(":", "")
                offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
                if zone[0] == "-":
                    offset = -offset
            if offset >= dt.timedelta(hours=24):
                raise CellError(_("时区无效"))
            moment = moment.replace(tzinfo=dt.timezone(offset))
    else:
        raise CellError(_("应为日期时间（如 2024-01-31 08:30:00）"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.isoformat()


def _boolean(column: Column, value) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float)) and value in (0, 1):
        return "t" if value == 1 else "f"
    if isinstance(value, str):
        word = _fold(value).lower()
        if word in TRUE_WORDS:
            return "t"
        if word in FALSE_WORDS:
            return "f"
    raise CellError(_("应为是/否（是、否、true、false、1、0、Y、N）"))


def _digits_as_text(value, what) -> str:
    """ID numbers and codes must come as text: an Excel number has lost its last digits.
    Returns the value folded to ASCII, without spaces and hyphens, in upper case (what
    stdnum's compact() does, without its per-character cost on millions of cells)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise CellError(_("%(what)s必须以文本格式保存（数字格式会丢失末几位）") % {"what": what()})
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise CellError(_("格式错误"))
    text = _fold(value)
    if " " in text or "-" in text:
        text = text.replace(" ", "").replace("-", "")
    return text.upper()


def _id_number(column: Column, value) -> str:
    number = _digits_as_text(value, lambda: _("身份证号"))
    if len(number) != 18:
        raise CellError(_("应为 18 位，实际为 %(actual)s 位") % {"actual": len(number)})
    if not (number[:17].isdigit() and number[:17].isascii() and number[17] in "0123456789X"):
        raise CellError(_("格式错误，应为 17 位数字加 1 位数字或 X"))
    if number[17] != ric.calc_check_digit(number):
        raise CellError(_("校验位错误"))
    if number[:2] not in ID_PROVINCES and number[0] != "9":
        raise CellError(_("地区码无效"))
    # the birth date as stdnum.cn.ric.get_birth_date reads it (digits 7-14), plus plausibility
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise CellError(_("出生日期无效")) from None
    if born.year < 1850 or born > dt.date.today():
        raise CellError(_("出生日期无效"))
    return number


def _uscc(column: Column, value) -> str:
    code = _digits_as_text(value, lambda: _("统一社会信用代码"))
    if len(code) != 18:
        raise CellError(_("应为 18 位，实际为 %(actual)s 位") % {"actual": len(code)})
    # GB 32100-2015: registration authority and kind (alphabet), 6-digit region code,
    # 9-character organisation code (alphabet), check character
    if not (set(code) <= USCC_ALPHABET and code[2:8].isdigit()):
        raise CellError(_("格式错误"))
    if code[17] != uscc.calc_check_digit(code[:17]):
        raise CellError(_("校验位错误"))
    return code


def _phone(column: Column, value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CellError(_("电话号码格式错误"))
    text = _fold(str(value))
    if not (text.isdigit() and text.isascii()):
        text = _PHONE_PREFIX.sub("", re.sub(r"\s+", "", text), count=1)
    if text.isdigit() and text.isascii():
        if text[0] == "1" and len(text) > 5:  # mobile numbers (short ones are service numbers: 110, 12345)
            if not _MOBILE.fullmatch(text):
                raise CellError(_("手机号码格式错误"))
            return text
        if 3 <= len(text) <= 20:
            return text
    elif _LANDLINE.fullmatch(text) and 7 <= sum(c.isdigit() for c in text) <= 20:
        return text
    raise CellError(_("电话号码格式错误，应为手机号码或由数字和连字符组成的固定电话"))


NORMALISERS = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "datetime": _datetime,
    "boolean": _boolean,
    "id_number": _id_number,
    "uscc": _uscc,
    "phone": _phone,
}
assert set(NORMALISERS) == set(TYPES)


def normalise(column: Column, value, *, from_xlsx: bool = False) -> str | None:
    """The PostgreSQL input text of value for column, None for an empty cell; CellError if invalid."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if "\x00" in value:
            raise CellError(_("含有空字符（NUL）"))
        if from_xlsx and value in EXCEL_ERRORS:
            raise CellError(_("单元格是 Excel 错误值 %(value)s") % {"value": value})
    return NORMALISERS[column.type](column, value)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
