"""How the dashboard and the yearly report write a figure, in the reader's language.

Django's zh-hans formats have no thousands separator (THOUSAND_SEPARATOR "" and groups of four), so
`intcomma` writes 106000 (issue 18): figures are grouped by three with a comma in both languages, as
GB/T 15835-2011 (出版物上数字用法) allows, with the locale's decimal separator; a percentage keeps one
decimal and its sign on the same line (the page sets white-space: nowrap).
"""

from __future__ import annotations

from django.utils import formats, numberformat
from django.utils.translation import gettext as _


def number(value, *, decimals: int | None = None) -> str:
    if value is None:
        return "-"
    if decimals is None:
        decimals = 1 if isinstance(value, float) and not float(value).is_integer() else 0
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR") or ",",
        force_grouping=True,
    )


def figure(metric, value) -> str:
    """A metric's value as shown: '-' without data, 57.6% for a rate, 1,234 for a count."""
    if value is None:
        return "-"
    if metric.is_rate:
        return number(value, decimals=1) + "%"
    return number(value)


def delta(metric, change) -> str:
    """A change between two periods: percentage points for a rate, the count's unit otherwise."""
    size = abs(change)
    if metric.is_rate:
        return _("%(n)s 个百分点") % {"n": number(size, decimals=1)}
    return number(size)


def score(value) -> str:
    return "-" if value is None else number(value, decimals=1)
