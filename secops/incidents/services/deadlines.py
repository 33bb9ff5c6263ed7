"""The deadlines of an open incident, watched (Tongren art. 36 立即, Lhasa art. 39 应急处理): when the
first response or the report to the competent authority is overdue, the bureau's security staff are
told — once per incident and deadline (the notification's key), however often the sweep runs."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import Role, role_group_name
from portal.services.notifications import batched, notify
from secops.incidents.models import Incident

KIND = "incidents.overdue"


def _handlers() -> list:
    names = [role_group_name(Role.BUREAU_ADMIN), role_group_name(Role.BUREAU_REVIEWER)]
    return list(get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct())


def sweep_overdue(now=None) -> int:
    """Announce each open incident's missed deadlines; how many overdue deadlines it found (each is
    notified once: a rerun finds them again and writes nothing)."""
    now = now or timezone.now()
    open_ = Incident.objects.exclude(status=Incident.Status.CLOSED)
    late_response = open_.filter(responded_at__isnull=True, response_due_at__lt=now)
    late_upward = open_.filter(upward_reported_at__isnull=True, upward_due_at__lt=now, is_drill=False)
    handlers = _handlers()
    made = 0
    with transaction.atomic(), batched():
        for incident in late_response.order_by("pk")[:500]:
            made += _announce(handlers, incident, "response", _("安全事件首次响应已超期：%(t)s"))
        for incident in late_upward.order_by("pk")[:500]:
            made += _announce(handlers, incident, "upward", _("安全事件向主管部门报告已超期：%(t)s"))
    return made


def _announce(handlers, incident: Incident, which: str, title: str) -> int:
    due = incident.response_due_at if which == "response" else incident.upward_due_at
    notify(
        users=handlers,
        kind=KIND,
        key=f"incidents.overdue:{incident.pk}:{which}",
        title=title % {"t": incident.title},
        body=_("期限为 %(d)s（%(l)s）。")
        % {"d": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"), "l": incident.get_level_display()},
        url=reverse("incidents:detail", args=[incident.pk]),
    )
    return 1
