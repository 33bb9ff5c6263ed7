"""Checking a whole column of a batch of CSV rows at once, for the forms files nearly always hold.

load_file reads CSV rows in batches. For each column of a batch the values are joined with "\\n"
and matched, in one call of the regular expression engine, against the canonical form of the
column's type: ISO dates and date-times, plain integers and decimals, 11-digit mobile numbers,
18-character ID numbers, text without surrounding spaces. Only then does Python look at single
values, and only where the form is not enough (an ID number's check digit, a date-time's
offset). A value in any other form goes through ``validate.normalise``, the general path.

A fast path only ever accepts a value the general path accepts, and gives the same text for it:
tests/catalog/test_datastore_fastpaths.py compares the two over many generated values. A value
the general path refuses (or an empty required cell) raises ``Slow``: the caller checks the
batch row by row again with the general path, which reports the errors exactly as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .columns import Column
from .validate import DECIMAL_MAX_EXPONENT, ID_PROVINCES, CellError, local_zone, normalise


class Slow(Exception):
    """A value the general path refuses, or a required cell left empty: check the batch row by row."""


# ---------------------------------------------------------------------------------------------
# the canonical forms, as patterns (ASCII digits only: full-width digits take the general path)

_YEAR = r"[1-9][0-9]{3}"
# years divisible by 4 and not by 100, or by 400 (the first digit is never 0)
_LEAP_YEAR = r"(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)"


def _month_day(sep: str) -> str:
    """Month and day that exist in every year (29 February apart), separated by sep."""
    return (
        rf"(?:(?:0[1-9]|1[0-2]){sep}(?:0[1-9]|1[0-9]|2[0-8])"
        rf"|(?:0[13-9]|1[0-2]){sep}(?:29|30)"
        rf"|(?:0[13578]|1[02]){sep}31)"
    )


_DATE = rf"(?:{_YEAR}-{_month_day('-')}|{_LEAP_YEAR}-02-29)"
_DATETIME = _DATE + r"[ T](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_INTEGER = r"(?:0|-?[1-9][0-9]{0,17})"  # at most 18 digits: always inside bigint
_DECIMAL = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
# what validate._phone returns unchanged: mobile numbers, short service numbers, other digit strings
_PHONE = r"(?:1[3-9][0-9]{9}|1[0-9]{2,4}|[02-9][0-9]{2,19})"
_PROVINCE = "(?:" + "|".join(sorted(ID_PROVINCES)) + "|9[0-9])"
# birth year 1850 or later (the date's upper bound, today, is checked per value)
_BIRTH = rf"(?=18[5-9]|19|2)(?:{_YEAR}{_month_day('')}|{_LEAP_YEAR}0229)"
_ID_NUMBER = rf"{_PROVINCE}[0-9]{{4}}{_BIRTH}[0-9]{{3}}[0-9X]"


def _one(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


def _many(pattern: str) -> re.Pattern:
    return re.compile(rf"(?:{pattern})(?:\n(?:{pattern}))*", re.ASCII)


DATE, DATES = _one(_DATE), _many(_DATE)
DATETIME, DATETIMES = _one(_DATETIME), _many(_DATETIME)
INTEGER, INTEGERS = _one(_INTEGER), _many(_INTEGER)
DECIMAL, DECIMALS = _one(_DECIMAL), _many(_DECIMAL)
PHONE, PHONES = _one(_PHONE), _many(_PHONE)
ID_NUMBER, ID_NUMBERS = _one(_ID_NUMBER), _many(_ID_NUMBER)
# a value that str.strip() would change, or an empty one (re's \s is str.isspace())
_EDGE_SPACE = re.compile(r"\A\s|\s\Z|\n\s|\s\n")
_CHECK_CHARACTERS = "0123456789X"


class Context:
    """What the fast paths work out once per load rather than once per cell: the portal's time
    zone and, per calendar day, the offset text a date-time of that day gets; today's date."""

    def __init__(self, zone: dt.tzinfo | None = None, today: dt.date | None = None):
        self.zone = zone or local_zone()
        # The general path reads "today" at every cell; a load lasts seconds to minutes, and an
        # earlier today only ever refuses more (the value then takes the general path).
        self.today = (today or dt.date.today()).strftime("%Y%m%d")
        self._suffixes: dict[str, str | None] = {}

    def suffix(self, day: str) -> str | None:
        """The offset text ("+08:00") of every naive date-time on day ("YYYY-MM-DD") in the zone,
        or None if the offset changes that day (daylight saving time, a change of rules): those
        date-times take the general path. Checked at every hour, both folds, and the last
        microsecond: tzdata has no transition that returns to the same offset within an hour."""
        try:
            return self._suffixes[day]
        except KeyError:
            pass
        date = dt.date.fromisoformat(day)
        times = [dt.time(hour) for hour in range(24)] + [dt.time(23, 59, 59, 999999)]
        offsets = {
            dt.datetime.combine(date, t, tzinfo=self.zone).replace(fold=fold).utcoffset()
            for t in times
            for fold in (0, 1)
        }
        suffix = dt.datetime.combine(date, dt.time(0), tzinfo=self.zone).isoformat()[19:] if len(offsets) == 1 else None
        self._suffixes[day] = suffix
        return suffix


# ---------------------------------------------------------------------------------------------
# per type: the whole column (joined holds the values joined by "\n", none containing "\n"),
# or None when some value is not in the canonical form; and one value, or None likewise


def _identity(many: re.Pattern):
    def whole(column, values, joined, context):
        return list(values) if many.fullmatch(joined) else None

    return whole


def _identity_one(one: re.Pattern):
    def single(column, value, context):
        return value if one.fullmatch(value) else None

    return single


def _decimal_limit(column: Column) -> int:
    # A plain decimal has at most as many digits as characters, and a length of at most
    # DECIMAL_MAX_EXPONENT keeps its exponent within the general path's bound.
    return min(column.length, DECIMAL_MAX_EXPONENT) if column.length is not None else DECIMAL_MAX_EXPONENT


def _decimals(column, values, joined, context):
    if DECIMALS.fullmatch(joined) and max(map(len, values)) <= _decimal_limit(column):
        return list(values)
    return None


def _decimal(column, value, context):
    return value if DECIMAL.fullmatch(value) and len(value) <= _decimal_limit(column) else None


def _datetimes(column, values, joined, context):
    if not DATETIMES.fullmatch(joined):
        return None
    suffixes = {day: context.suffix(day) for day in {v[:10] for v in values}}
    if None in suffixes.values():
        return None
    return [f"{v[:10]}T{v[11:]}{suffixes[v[:10]]}" for v in values]


def _datetime(column, value, context):
    if DATETIME.fullmatch(value):
        suffix = context.suffix(value[:10])
        if suffix is not None:
            return f"{value[:10]}T{value[11:]}{suffix}"
    return None


def _id_valid(value: str, today: str) -> bool:
    # ISO 7064 MOD 11-2 as stdnum.cn.ric computes it (13 = 2 modulo 11); the birth date not after today
    return _CHECK_CHARACTERS[(1 - 2 * int(value[:17], 13)) % 11] == value[17] and value[6:14] <= today


def _id_numbers(column, values, joined, context):
    if not ID_NUMBERS.fullmatch(joined):
        return None
    today = context.today
    return list(values) if all(_id_valid(v, today) for v in values) else None


def _id_number(column, value, context):
    return value if ID_NUMBER.fullmatch(value) and _id_valid(value, context.today) else None


def _fits(column: Column, values) -> bool:
    return column.length is None or max(map(len, values)) <= column.length


def _strings(column, values, joined, context):
    if "\x00" in joined or "" in values or _EDGE_SPACE.search(joined) or not _fits(column, values):
        return None
    return list(values)


def _string(column, value, context):
    if (
        value
        and not value[0].isspace()
        and not value[-1].isspace()
        and "\x00" not in value
        and (column.length is None or len(value) <= column.length)
    ):
        return value
    return None


WHOLE = {
    "string": _strings,
    "integer": _identity(INTEGERS),
    "decimal": _decimals,
    "date": _identity(DATES),
    "datetime": _datetimes,
    "id_number": _id_numbers,
    "phone": _identity(PHONES),
}
SINGLE = {
    "string": _string,
    "integer": _identity_one(INTEGER),
    "decimal": _decimal,
    "date": _identity_one(DATE),
    "datetime": _datetime,
    "id_number": _id_number,
    "phone": _identity_one(PHONE),
}


def column_values(column: Column, values: Sequence[str], context: Context) -> list[str | None]:
    """normalise(column, value) for each value of a CSV column (all str), faster; raises Slow if
    the general path would refuse a value or a required cell is empty."""
    if not values:
        return []
    whole = WHOLE.get(column.type)
    if whole is not None:
        joined = "\n".join(values)
        if joined.count("\n") == len(values) - 1:  # no value holds a line break of its own
            out = whole(column, values, joined, context)
            if out is not None:
                return out
    single = SINGLE.get(column.type)
    out = []
    for value in values:
        text = single(column, value, context) if single is not None else None
        if text is None:
            try:
                text = normalise(column, value)
            except CellError:
                raise Slow from None
            if text is None and column.required:
                raise Slow
        out.append(text)
    return out
