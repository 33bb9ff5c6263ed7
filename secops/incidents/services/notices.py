"""Telling the departments and users who may be affected (Tongren art. 36 告知可能受影响的用户,
Sixian art. 39 通知可能受到影响的部门): what happened, what was exposed, what to do — an in-portal
notice and an e-mail (portal.services.notifications), with who received it kept on the incident."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.roles import Role, role_group_name
from portal.services.notifications import notify
from secops.incidents.models import Action, Incident, Notice
from secops.incidents.services.register import log, require_handler

KIND = "incidents.notice"


def recipients_of(incident: Incident) -> list:
    """The data officers of the affected departments and the affected users, active ones only."""
    users = get_user_model().objects.filter(is_active=True)
    officers = users.filter(
        department__in=incident.affected_departments.all(), groups__name=role_group_name(Role.DATA_OFFICER)
    )
    named = users.filter(pk__in=incident.affected_users.values("pk"))
    return list((officers | named).distinct().order_by("pk"))


def default_body(incident: Incident) -> str:
    parts = [_("事件经过：%(d)s") % {"d": incident.description}]
    if incident.exposed:
        parts.append(_("涉及的数据：%(e)s") % {"e": incident.exposed})
    if incident.advice:
        parts.append(_("请采取的措施：%(a)s") % {"a": incident.advice})
    return "\n".join(parts)


def notify_affected(*, actor, incident: Incident, title: str = "", body: str = "") -> Notice:
    """Send the notice to everyone recipients_of() names and record it (refused when nobody is
    named: the register says who is affected first)."""
    require_handler(actor)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise DomainError(_("事件已关闭，不能再发送通知。"), code="closed")
        users = recipients_of(incident)
        if not users:
            raise DomainError(_("尚未登记受影响的部门（须有数据管理员）或用户，无人可通知。"), code="no_recipients")
        prefix = _("【演练】") if incident.is_drill else ""
        title = (title.strip() or _("安全事件通知：%(t)s") % {"t": incident.title})[:190]
        body = body.strip() or default_body(incident)
        notice = Notice.objects.create(
            incident=incident,
            title=prefix + title,
            body=body,
            sent_by=actor,
            sent_at=timezone.now(),
            emails=[u.email for u in users if u.email],
        )
        notice.recipients.set(users)
        notify(
            users=users,
            kind=KIND,
            key=f"incidents.notice:{notice.pk}",
            title=notice.title,
            body=body,
            url=reverse("incidents:detail", args=[incident.pk]),
        )
        log(
            incident,
            Action.Kind.NOTICE,
            actor,
            _("已通知 %(n)d 人：%(names)s")
            % {"n": len(users), "names": "、".join(u.get_full_name() or u.username for u in users)},
            audit="incidents.notify",
            detail={"notice": notice.pk, "recipients": [u.pk for u in users]},
        )
    return notice
