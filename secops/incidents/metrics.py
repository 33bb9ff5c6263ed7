"""The incident register's figures for the evaluation dashboard: drills held (应急演练, Tongren
art. 15(八), Sixian art. 36 定期演练) and real incidents reported, per department, in the period."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from portal.dashboard import Metric, Provider
from secops.incidents.models import Incident

GROUP = _("安全管理")
METRICS = (
    Metric("incidents_drills", _("应急演练次数"), GROUP, short=_("演练"), unit=_("次")),
    Metric("incidents_reported", _("报告安全事件数"), GROUP, short=_("事件"), unit=_("起")),
)


def counts(start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    """One GROUP BY over the reporting department: a drill counts for the department that held it."""
    rows = (
        Incident.objects.filter(reported_at__gte=start, reported_at__lt=end, reporter_department__isnull=False)
        .values("reporter_department_id")
        .annotate(drills=Count("id", filter=Q(is_drill=True)), real=Count("id", filter=Q(is_drill=False)))
    )
    return {
        row["reporter_department_id"]: {"incidents_drills": row["drills"], "incidents_reported": row["real"]}
        for row in rows
    }


PROVIDER = Provider(name="incidents", metrics=METRICS, counts=counts)
