"""Reporting an incident and moving it through 已报告 → 处置中 → 已控制 → 已关闭.

Lhasa art. 38-39: data officers report security incidents to the bureau, which handles them
(日常检查、风险控制、应急处理、安全报告); the system reports what its detection rules find. Tongren
art. 36: the records are kept — every move is a line of the timeline and an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from portal.roles import Role, role_group_name
from portal.services.notifications import notify
from secops.incidents import conf, transitions
from secops.incidents.models import Action, Evidence, Incident, Kind, Level

REPORT, HANDLE = "incidents.report_incident", "incidents.handle_incident"
REPORTED_KIND = "incidents.reported"


def may_handle(user) -> bool:
    return can(user, HANDLE)


def require_handler(user) -> None:
    """Lhasa art. 39: the bureau handles incidents; everyone else reads them at most."""
    if not may_handle(user):
        raise PermissionDeniedError(_("只有大数据局的安全管理人员可以处置安全事件。"))


def log(incident: Incident, kind: str, actor, text: str, *, audit: str, detail: dict | None = None) -> Action:
    """One timeline line and its audit entry, in the caller's transaction."""
    record(audit, actor=actor, target=incident, detail={"incident": incident.pk, **(detail or {})})
    return Action.objects.create(incident=incident, kind=kind, at=timezone.now(), actor=actor, text=text)


def _checked(*, title: str, kind: str, level: str, description: str) -> None:
    if not title.strip() or not description.strip():
        raise DomainError(_("请填写事件名称和事件经过。"), code="incomplete")
    if kind not in Kind.values:
        raise DomainError(_("事件类型无效。"), code="bad_kind")
    if level not in Level.values:
        raise DomainError(_("事件级别无效。"), code="bad_level")


def _create(
    *,
    reporter,
    title: str,
    kind: str,
    level: str,
    description: str,
    exposed: str,
    advice: str,
    is_drill: bool,
    departments: Iterable,
    users: Iterable,
    entries: Iterable,
    grants: Iterable,
    persons: list[str],
    audit_entry_ids: Iterable[int],
    receipts: Iterable[str],
) -> Incident:
    _checked(title=title, kind=kind, level=level, description=description)
    now = timezone.now()
    incident = Incident.objects.create(
        title=title.strip()[:200],
        kind=kind,
        level=level,
        is_drill=is_drill,
        description=description.strip(),
        exposed=exposed.strip(),
        advice=advice.strip(),
        reported_by=reporter,
        reporter_department=getattr(reporter, "department", None),
        reported_at=now,
        response_due_at=conf.response_due(level, now),
        upward_due_at=conf.upward_due(level, now),
        persons=[str(p).strip()[:200] for p in persons if str(p).strip()],
    )
    incident.affected_departments.set(list(departments))
    incident.affected_users.set(list(users))
    incident.entries.set(list(entries))
    incident.grants.set(list(grants))
    Evidence.objects.bulk_create(
        [
            Evidence(
                incident=incident, kind=Evidence.Kind.AUDIT, audit_entry_id=int(pk), added_by=reporter, added_at=now
            )
            for pk in dict.fromkeys(audit_entry_ids)
        ]
        + [
            Evidence(
                incident=incident, kind=Evidence.Kind.RECEIPT, receipt=str(r)[:64], added_by=reporter, added_at=now
            )
            for r in dict.fromkeys(receipts)
        ]
    )
    text = _("%(who)s报告了%(drill)s安全事件（%(level)s，%(kind)s）。") % {
        "who": reporter.get_full_name() or reporter.username if reporter else _("系统监测"),
        "drill": _("演练") if is_drill else "",
        "level": incident.get_level_display(),
        "kind": incident.get_kind_display(),
    }
    log(
        incident,
        Action.Kind.REPORT,
        reporter,
        text,
        audit="incidents.report",
        detail={"level": level, "kind": kind, "drill": is_drill, "system": reporter is None},
    )
    _tell_the_bureau(incident, text)
    return incident


def _tell_the_bureau(incident: Incident, text: str) -> None:
    """Lhasa art. 38: the report reaches the bureau's security staff at once (in the portal and by
    e-mail), with the deadline of the first response."""
    names = [role_group_name(Role.BUREAU_ADMIN), role_group_name(Role.BUREAU_REVIEWER)]
    handlers = list(get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct())
    due = timezone.localtime(incident.response_due_at).strftime("%Y-%m-%d %H:%M")
    notify(
        users=handlers,
        kind=REPORTED_KIND,
        key=f"incidents.reported:{incident.pk}",
        title=_("新安全事件：%(t)s（%(l)s）") % {"t": incident.title, "l": incident.get_level_display()},
        body=_("%(text)s请于 %(due)s 前响应。") % {"text": text, "due": due},
        url=reverse("incidents:detail", args=[incident.pk]),
    )


def report_incident(
    *,
    actor,
    title: str,
    kind: str,
    level: str,
    description: str,
    exposed: str = "",
    advice: str = "",
    is_drill: bool = False,
    departments=(),
    users=(),
    entries=(),
    grants=(),
    persons=(),
    audit_entry_ids=(),
    receipts=(),
) -> Incident:
    """Lhasa art. 38: a data officer of any department (or the bureau) reports an incident; a drill
    (Tongren art. 15(八)) is reported the same way, marked as exercise."""
    if not can(actor, REPORT):
        raise PermissionDeniedError(_("只有部门数据管理员和大数据局可以报告安全事件。"))
    with transaction.atomic():
        return _create(
            reporter=actor,
            title=title,
            kind=kind,
            level=level,
            description=description,
            exposed=exposed,
            advice=advice,
            is_drill=is_drill,
            departments=departments,
            users=users,
            entries=entries,
            grants=grants,
            persons=list(persons),
            audit_entry_ids=audit_entry_ids,
            receipts=receipts,
        )


def open_incident(
    *,
    title: str,
    kind: str,
    level: str,
    description: str,
    evidence=(),
    departments=(),
    users=(),
    entries=(),
    grants=(),
    exposed: str = "",
) -> Incident:
    """The system reports an incident (the detection rules over the audit stream): no reporter,
    the audit entries (ids, or objects with .pk) that fired the rule as evidence."""
    ids = [getattr(e, "pk", e) for e in evidence]
    with transaction.atomic():
        return _create(
            reporter=None,
            title=title,
            kind=kind,
            level=level,
            description=description,
            exposed=exposed,
            advice="",
            is_drill=False,
            departments=departments,
            users=users,
            entries=entries,
            grants=grants,
            persons=[],
            audit_entry_ids=ids,
            receipts=(),
        )


_MOVES = {
    "handle": ("incidents.handle", gettext_lazy("开始处置。")),
    "contain": ("incidents.contain", gettext_lazy("事件已得到控制。")),
    "reopen": ("incidents.reopen", gettext_lazy("事件重新进入处置。")),
    "close": ("incidents.close", gettext_lazy("事件已关闭。")),
}


def incident_move(*, actor, incident: Incident, action: str, note: str = "") -> Incident:
    """A state change by the bureau, with its time (first response, containment, closing) and a
    line of the timeline; closing needs a summary and the report upward (Tongren art. 36)."""
    require_handler(actor)
    if action not in _MOVES:
        raise DomainError(_("未知的操作。"), code="bad_action")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        transitions.check(incident, action)
        now, fields = timezone.now(), []
        if action == "handle":
            incident.responded_at, fields = now, ["responded_at"]
        elif action == "contain":
            incident.contained_at, fields = now, ["contained_at"]
        elif action == "close":
            if not note.strip():
                raise DomainError(_("关闭事件须填写处置总结。"), code="summary_required")
            if incident.upward_reported_at is None and not incident.is_drill:
                raise DomainError(_("尚未向主管部门报告，不能关闭事件。"), code="not_reported_upward")
            incident.closed_at, incident.summary, fields = now, note.strip(), ["closed_at", "summary"]
        transitions.move(incident, action)
        transitions.save(incident, update_fields=fields)
        audit, said = _MOVES[action]
        log(
            incident, Action.Kind.STATE, actor, f"{said}{note.strip()}", audit=audit, detail={"status": incident.status}
        )
    return incident


def add_note(*, actor, incident: Incident, text: str) -> Action:
    require_handler(actor)
    if not text.strip():
        raise DomainError(_("请填写记录内容。"), code="empty")
    with transaction.atomic():
        return log(incident, Action.Kind.NOTE, actor, text.strip(), audit="incidents.note")
