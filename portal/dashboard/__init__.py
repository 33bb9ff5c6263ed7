"""The evaluation dashboard (考核, docs/features.md P3; Lhasa art. 42-44 and 50, Sixian art. 41).

Each app lists its metric providers in its plugin (portal.plugins, `metrics`); a provider answers,
for a period, raw counts per department in one or a few SQL aggregates (GROUP BY department) — never
a Python loop over rows. Rates are defined as numerator / denominator of counts, so city totals and
yearly figures are exact sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    group: str  # the dashboard's section: 资源目录 / 数据共享 / 数据开放 / 安全管理 (the app's GROUP)
    numerator: str | None = None  # a rate: numerator / denominator (both counts)
    denominator: str | None = None
    higher_is_better: bool = True
    unit: str | None = None  # of a count: 个 by default, 次, 行 … (charts never mix units); rates are %
    short: str | None = None  # column header of the ranking table (the label is its <abbr title>)
    target: float | None = None  # None: the default_target below

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    @property
    def unit_label(self) -> str:
        from django.utils.translation import gettext

        return "%" if self.is_rate else str(self.unit or gettext("个"))

    @property
    def short_label(self) -> str:
        return str(self.short or self.label)

    @property
    def goal(self) -> float | None:
        """What a department should reach. The rules set no percentage below which a department
        fails: every item is to be answered or updated within its deadline (Lhasa art. 43-44, Sixian
        art. 41), so a rate's target is 100 % and an overdue count's is 0; plain counts have none."""
        if self.target is not None:
            return self.target
        if self.is_rate:
            return 100.0 if self.higher_is_better else 0.0
        return None if self.higher_is_better else 0


@dataclass(frozen=True)
class Provider:
    name: str
    metrics: tuple[Metric, ...]
    counts: Callable[[dt.datetime, dt.datetime], dict[int, dict[str, int]]]  # [start, end) → {dept: {key: n}}


def providers() -> list[Provider]:
    """Every installed app's providers, in INSTALLED_APPS order (one per name)."""
    from portal import plugins

    return list({provider.name: provider for provider in plugins.contributions("metrics")}.values())


def metrics() -> list[Metric]:
    return [m for p in providers() for m in p.metrics]


def period(year: int, month: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a month or a year, in Shanghai time."""
    if month:
        start = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
    else:
        start, end = dt.datetime(year, 1, 1, tzinfo=SHANGHAI), dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    return start, end
