"""What the dashboard page and the yearly report show, built once from portal.dashboard.figures: the
key figures grouped by area (资源目录 / 数据共享 / 数据开放 / 安全管理, each app's GROUP) with their
target and the trend against the previous period, the ranking, the departments below target and the
chart specs (one chart per unit of measure, static/portal/charts.js)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.dashboard import display, figures


def previous(year: int, month: int | None) -> tuple[int, int | None]:
    """The period a trend compares with: the year before, or the month before."""
    if month is None:
        return year - 1, None
    return (year, month - 1) if month > 1 else (year - 1, 12)


@dataclass
class Figure:
    metric: object
    value: float | int | None
    previous: float | int | None

    @property
    def text(self) -> str:
        return display.figure(self.metric, self.value)

    @property
    def previous_text(self) -> str:
        return display.figure(self.metric, self.previous)

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def direction(self) -> str | None:
        """up / down / same, or None when a period has no data."""
        change = self.change
        if change is None:
            return None
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def better(self) -> bool | None:
        if self.direction in (None, "same"):
            return None
        return (self.direction == "up") == self.metric.higher_is_better

    @property
    def trend_text(self) -> str:
        """The trend in words and an arrow, never by colour alone (WCAG 1.4.1)."""
        if self.direction is None:
            return _("本期无数据") if self.value is None else _("上期无数据")
        if self.direction == "same":
            return _("持平")
        size = display.delta(self.metric, self.change)
        return (_("▲ 上升 %(n)s") if self.direction == "up" else _("▼ 下降 %(n)s")) % {"n": size}

    @property
    def goal(self):
        return self.metric.goal

    @property
    def goal_text(self) -> str:
        return display.figure(self.metric, self.goal)

    @property
    def meets(self) -> bool | None:
        if self.goal is None or self.value is None:
            return None
        return self.value >= self.goal if self.metric.higher_is_better else self.value <= self.goal


def grouped(metrics) -> list[tuple[str, list]]:
    """The metrics by group, groups in the order their apps are installed."""
    groups: dict[str, list] = {}
    for metric in metrics:
        groups.setdefault(str(metric.group), []).append(metric)
    return list(groups.items())


def _month_labels() -> list[str]:
    return [_("%(m)d月") % {"m": m} for m in range(1, 13)]


def _has_data(metric, values: list) -> bool:
    """A month with a rate (even 0 %) is data; a count that stayed 0 all year draws nothing."""
    return any(v is not None and (metric.is_rate or v != 0) for v in values)


def charts(metrics, series: dict[str, list]) -> list[dict]:
    """Per group, one chart per unit: rates as lines on a 0-100 % axis, each count unit as bars. A
    metric without data all year gets no line or bar (its card says so); a chart left with none is
    not drawn."""
    specs = []
    for n, (group, members) in enumerate(grouped(metrics)):
        units: dict[str, list] = {}
        for metric in members:
            if _has_data(metric, series[metric.key]):
                units.setdefault(metric.unit_label, []).append(metric)
        for k, (unit, same_unit) in enumerate(units.items()):
            rate = unit == "%"
            specs.append(
                {
                    "id": f"chart-{n}-{k}",
                    "group": group,
                    "caption": _("%(g)s逐月变化（单位：%(u)s）") % {"g": group, "u": unit},
                    "spec": {
                        "type": "line" if rate else "bar",
                        "unit": unit,
                        "categories": _month_labels(),
                        "series": [{"name": str(m.label), "data": series[m.key]} for m in same_unit],
                        "empty": _("本年度暂无数据"),
                    },
                }
            )
    return specs


def quiet(metrics, series: dict[str, list]) -> list[str]:
    """The labels of the metrics that have no data all year (named under the group's charts)."""
    return [str(m.label) for m in metrics if not _has_data(m, series[m.key])]


def ranked(rows: list[dict]) -> list[dict]:
    """By rank; departments without a score (no rate with data) after them, by name."""
    return sorted(rows, key=lambda r: (r.get("rank") or 10**6, r["department"].name))


def below_target(rows: list[dict], metrics) -> list[dict]:
    """Departments that miss a target, with the figures they miss (the report's 未达标部门)."""
    found = []
    for row in ranked(rows):
        misses = [Figure(m, row["values"].get(m.key), None) for m in metrics]
        misses = [f for f in misses if f.meets is False]
        if misses:
            found.append({"department": row["department"], "misses": misses})
    return found


def build(year: int, month: int | None = None, *, department_ids=None) -> dict:
    data = figures.table(year, month, department_ids=department_ids)
    before_year, before_month = previous(year, month)
    before = figures.table(before_year, before_month, department_ids=department_ids)
    if department_ids is None:
        now, then = data["city"], before["city"]
    else:
        now = data["rows"][0]["values"] if data["rows"] else {}
        then = before["rows"][0]["values"] if before["rows"] else {}
    groups = [
        {"label": label, "figures": [Figure(m, now.get(m.key), then.get(m.key)) for m in members]}
        for label, members in grouped(data["metrics"])
    ]
    series = figures.monthly_series(year, department_ids=department_ids)
    specs = charts(data["metrics"], series)
    for group, (_label, members) in zip(groups, grouped(data["metrics"]), strict=True):
        group["charts"] = [c for c in specs if c["group"] == group["label"]]
        group["quiet"] = quiet(members, series)
    ranking = ranked(data["rows"])
    scored = [r for r in ranking if r["score"] is not None]
    for row in ranking:
        row["cells"] = [
            {"label": str(m.label), "text": display.figure(m, row["values"][m.key])} for m in data["metrics"]
        ]
        row["score_text"] = display.score(row["score"])
    return {
        "year": year,
        "month": month,
        "previous": {"year": before_year, "month": before_month},
        "metrics": data["metrics"],
        "groups": groups,
        "ranking": ranking,
        "city_score": data["city_score"],
        "city_score_text": display.score(data["city_score"]),
        "below_target": below_target(data["rows"], data["metrics"]),
        "series": series,
        "charts": specs,
        "ranking_chart": {
            "type": "bar",
            "horizontal": True,
            "unit": _("分"),
            "max": 100,
            "decimals": True,
            "categories": [r["department"].name for r in scored],
            "series": [{"name": _("综合得分"), "data": [r["score"] for r in scored]}],
            "empty": _("暂无可排名的部门"),
        },
        "ranking_height": min(120 + 34 * len(scored), 720),  # px: a bar per department, a readable height
    }
