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
    group: str
    numerator: str | None = None  # a rate: numerator / denominator (both counts)
    denominator: str | None = None
    higher_is_better: bool = True

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None


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
