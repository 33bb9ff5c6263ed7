"""The bureau's security dashboard (安全态势): open incidents by level, response times against their
deadlines (secops.incidents), self-check findings by department and the monthly trend. Each figure
is a small table the page draws as a chart and prints as a table (the accessible version)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from secops.incidents import conf as incident_conf
from secops.incidents import selectors as incidents
from secops.incidents.models import Incident, Level
from secops.selfchecks.models import Finding

MONTHS = 12


def _months(now: dt.datetime) -> list[dt.date]:
    first = timezone.localdate(now).replace(day=1)
    out = []
    for _i in range(MONTHS):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def open_incidents_by_level(user) -> list[list]:
    rows = dict(
        incidents.incidents_visible_to(user)
        .exclude(status=Incident.Status.CLOSED)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
    )
    return [[str(label), rows.get(value, 0)] for value, label in Level.choices]


def response_times(user, now: dt.datetime | None = None) -> list[list]:
    """Per level, over the last twelve months: the deadline in hours, incidents answered in time,
    answered late, still unanswered past the deadline, and the mean hours to the first response."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=365)
    qs = incidents.incidents_visible_to(user).filter(reported_at__gte=since)
    table = []
    for value, label in Level.choices:
        on_time = late = waiting = 0
        hours = []
        for reported, responded, due in qs.filter(level=value).values_list(
            "reported_at", "responded_at", "response_due_at"
        ):
            if responded is None:
                waiting += due < now
                continue
            hours.append((responded - reported).total_seconds() / 3600)
            if responded <= due:
                on_time += 1
            else:
                late += 1
        mean = round(sum(hours) / len(hours), 1) if hours else None
        table.append([str(label), incident_conf.setting("RESPONSE_HOURS")[value], on_time, late, waiting, mean])
    return table


def findings_by_department(findings) -> list[list]:
    rows = (
        findings.filter(status=Finding.Status.OPEN)
        .order_by()
        .values("owner_department__name", "severity")
        .annotate(n=Count("id"))
    )
    by: dict[str, dict[str, int]] = {}
    for r in rows:
        name = r["owner_department__name"] or _("未指定")
        by.setdefault(name, {"high": 0, "medium": 0, "low": 0})[r["severity"]] = r["n"]
    return [
        [name, v["high"], v["medium"], v["low"]] for name, v in sorted(by.items(), key=lambda kv: -sum(kv[1].values()))
    ]


def monthly_trend(user, findings, now: dt.datetime | None = None) -> list[list]:
    months = _months(now or timezone.now())
    start = timezone.make_aware(dt.datetime.combine(months[0], dt.time()))
    found = dict(
        findings.filter(created_at__gte=start)
        .annotate(m=TruncMonth("created_at"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("id"))
    )
    reported = dict(
        incidents.incidents_visible_to(user)
        .filter(reported_at__gte=start)
        .annotate(m=TruncMonth("reported_at"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("id", distinct=True))
    )
    found = {timezone.localdate(k).replace(day=1): v for k, v in found.items()}
    reported = {timezone.localdate(k).replace(day=1): v for k, v in reported.items()}
    return [[m.strftime("%Y-%m"), found.get(m, 0), reported.get(m, 0)] for m in months]


def figures(user, findings, now: dt.datetime | None = None) -> dict:
    return {
        "incidents_by_level": open_incidents_by_level(user),
        "response_times": response_times(user, now),
        "findings_by_department": findings_by_department(findings),
        "trend": monthly_trend(user, findings, now),
    }
