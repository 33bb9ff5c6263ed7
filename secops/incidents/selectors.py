"""What each user may see of the incident register (Lhasa art. 39: the bureau handles incidents, the
auditors check the handling, a data officer follows the incidents of their own department)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.permissions import can
from secops.incidents.models import Incident

VIEW_ALL = "incidents.view_incident"


def incidents_visible_to(user) -> QuerySet[Incident]:
    qs = Incident.objects.select_related("reported_by", "reporter_department")
    if can(user, VIEW_ALL):
        return qs
    if not can(user, "incidents.report_incident") or user.department_id is None:
        return qs.none()
    mine = Q(reporter_department_id=user.department_id) | Q(affected_departments=user.department_id)
    return qs.filter(pk__in=Incident.objects.filter(mine).values("pk"))


def overdue(incident: Incident, now: dt.datetime | None = None) -> dict[str, bool]:
    """Which deadlines an incident has missed (or is missing now)."""
    now = now or timezone.now()
    return {
        "response": (incident.responded_at or now) > incident.response_due_at,
        "upward": (incident.upward_reported_at or now) > incident.upward_due_at,
    }


def drills_in_year(year: int) -> QuerySet[Incident]:
    return Incident.objects.filter(is_drill=True, reported_at__year=year)
