"""Figures of the dashboard and the yearly report, from the registered providers."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied

from portal.dashboard import metrics, period, providers
from portal.models import Department
from portal.permissions import can


def scope_of(user) -> list[int] | None:
    """The departments whose figures a user sees: None for the whole city (the bureau), else the
    user's own department; PermissionDenied for an account without one (the page and the API alike)."""
    if can(user, "portal.view_evaluation"):
        return None
    if user.department_id:
        return [user.department_id]
    raise PermissionDenied


def counts_by_department(start, end) -> dict[int, dict[str, int]]:
    merged: dict[int, dict[str, int]] = defaultdict(dict)
    for provider in providers():
        for department_id, values in provider.counts(start, end).items():
            merged[department_id].update(values)
    return merged


def _value(metric, counts: dict[str, int]):
    if metric.is_rate:
        denominator = counts.get(metric.denominator, 0)
        return round(100.0 * counts.get(metric.numerator, 0) / denominator, 1) if denominator else None
    return counts.get(metric.key, 0)


def _row(counts: dict[str, int]) -> dict:
    return {m.key: _value(m, counts) for m in metrics()}


def score(row: dict):
    """The ranking score: the mean of the department's rates that have data (each 0-100)."""
    rates = [row[m.key] for m in metrics() if m.is_rate and row.get(m.key) is not None]
    return round(sum(rates) / len(rates), 1) if rates else None


def table(year: int, month: int | None = None, *, department_ids=None) -> dict:
    """Per department and for the city: every metric for the period, a score and a rank."""
    start, end = period(year, month)
    counts = counts_by_department(start, end)
    departments = Department.objects.filter(level=Department.Level.DEPARTMENT, is_active=True).order_by("name")
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
    rows = []
    for department in departments:
        row = _row(counts.get(department.pk, {}))
        rows.append({"department": department, "values": row, "score": score(row)})
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: -r["score"])
    for rank, r in enumerate(ranked, start=1):
        r["rank"] = rank
    city_counts: dict[str, int] = defaultdict(int)
    for department_id, values in counts.items():
        if department_ids is None or department_id in department_ids:
            for key, n in values.items():
                city_counts[key] += n
    city = _row(city_counts)
    return {"rows": rows, "city": city, "city_score": score(city), "metrics": metrics(), "year": year, "month": month}


def monthly_series(year: int, *, department_ids=None) -> dict[str, list]:
    """Each metric month by month for the year (for the charts)."""
    series: dict[str, list] = {m.key: [] for m in metrics()}
    for month in range(1, 13):
        start, end = period(year, month)
        counts = counts_by_department(start, end)
        total: dict[str, int] = defaultdict(int)
        for department_id, values in counts.items():
            if department_ids is None or department_id in department_ids:
                for key, n in values.items():
                    total[key] += n
        for m in metrics():
            series[m.key].append(_value(m, total))
    return series
