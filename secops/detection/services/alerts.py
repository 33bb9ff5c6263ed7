"""Alerts (监测告警): a rule's firing opens a warning, or at once an incident of the register with
the audit entries as evidence (Tongren art. 35-36: detect, keep the records, tell the bureau). One
alert is open per rule and subject: later hits are added to it, an entry is evidence once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from portal.models import Department
from portal.permissions import require
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify
from secops.detection.models import Alert, AlertEvidence, DetectionRule
from secops.detection.rules import SPECS, Firing
from secops.incidents.services import open_incident, report_incident

NEW_ALERT_KIND = "detection.alert"
CLOSE = "detection.close_alert"


def _new_evidence(rule: DetectionRule, firing: Firing) -> list:
    ids = {e.pk for e in firing.entries}
    known = set(
        AlertEvidence.objects.filter(rule_code=rule.code, audit_entry_id__in=ids).values_list(
            "audit_entry_id", flat=True
        )
    )
    if firing.trigger.pk in known:
        return []  # read again (the stream's overlap): already counted
    return list({e.pk: e for e in firing.entries if e.pk not in known}.values())


def _open(rule: DetectionRule, firing: Firing, now) -> tuple[Alert, bool]:
    alert = (
        Alert.objects.select_for_update().filter(rule=rule, subject=firing.subject, status=Alert.Status.OPEN).first()
    )
    if alert is not None:
        return alert, False
    try:
        with transaction.atomic():
            return (
                Alert.objects.create(
                    rule=rule,
                    subject=firing.subject[:120],
                    subject_label=str(firing.label)[:200],
                    kind=Alert.Kind.INCIDENT if rule.opens_incident else Alert.Kind.WARNING,
                    title=str(firing.title)[:200],
                    description=str(firing.description),
                    opened_at=now,
                    last_hit_at=now,
                ),
                True,
            )
    except IntegrityError:  # another pass opened it a moment ago (detection_one_open_alert)
        return Alert.objects.select_for_update().get(rule=rule, subject=firing.subject, status=Alert.Status.OPEN), False


def fire(*, rule: DetectionRule, firing: Firing) -> Alert | None:
    """Tongren art. 35: what a rule found reaches the bureau with its evidence, once per subject
    while the alert is open; returns the alert, or None when the firing was seen already."""
    with transaction.atomic():
        new = _new_evidence(rule, firing)
        if not new:
            return None
        now = timezone.now()
        alert, created = _open(rule, firing, now)
        AlertEvidence.objects.bulk_create(
            [
                AlertEvidence(
                    alert=alert, rule_code=rule.code, audit_entry_id=e.pk, occurred_at=e.occurred_at, action=e.action
                )
                for e in new
            ],
            ignore_conflicts=True,
        )
        alert.hits = alert.evidence.count()
        alert.last_hit_at = now
        if not created:
            alert.description = str(firing.description)
        if created and rule.opens_incident:
            spec = SPECS[rule.code]
            alert.incident = open_incident(
                title=str(firing.title)[:200],
                kind=spec.incident_kind,
                level=spec.incident_level,
                description=f"{firing.description}\n" + _("（由安全监测规则“%(r)s”自动报告）") % {"r": rule},
                evidence=[e.pk for e in new],
                departments=Department.objects.filter(pk__in=[d for d in firing.departments if d]),
                users=[u for u in firing.users if u],
            )
        alert.save()
        record(
            "detection.alert.open" if created else "detection.alert.hit",
            target=alert,
            detail={
                "rule": rule.code,
                "subject": alert.subject,
                "entries": [e.pk for e in new][:50],
                "incident": alert.incident_id,
            },
        )
        if created:
            _tell_the_bureau(alert)
    return alert


def _tell_the_bureau(alert: Alert) -> None:
    """Tongren art. 14(七) 安全信息通报: a new alert reaches the bureau's security staff at once."""
    users = {*users_with_role(Role.BUREAU_ADMIN), *users_with_role(Role.BUREAU_REVIEWER)}
    notify(
        users=list(users),
        kind=NEW_ALERT_KIND,
        key=f"detection.alert:{alert.pk}",
        title=_("安全监测告警：%(t)s") % {"t": alert.title},
        body=f"{alert.get_kind_display()}：{alert.description}",
        url=reverse("detection:alert", args=[alert.pk]),
    )


def alert_close(*, actor, alert: Alert, note: str) -> Alert:
    """The bureau closes an alert it looked into, with what it found; the next hit on the same
    subject opens a new alert."""
    require(actor, CLOSE)
    if not (note or "").strip():
        raise DomainError(_("请填写处理说明。"), code="note_required", errors={"note": [_("请填写处理说明。")]})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status != Alert.Status.OPEN:
            raise DomainError(_("该告警已处理。"), code="closed")
        alert.status, alert.closed_at, alert.closed_by = Alert.Status.CLOSED, timezone.now(), actor
        alert.close_note = note.strip()
        alert.save()
        record("detection.alert.close", actor=actor, target=alert, detail={"rule": alert.rule.code, "note": note[:300]})
    return alert


def alert_escalate(*, actor, alert: Alert) -> Alert:
    """Lhasa art. 38-39, Tongren art. 36: the bureau, having looked at a warning, reports it as an
    incident of the register (reported by the person, with the alert's evidence), once."""
    require(actor, CLOSE)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("rule").get(pk=alert.pk)
        if alert.incident_id is not None:
            raise DomainError(_("该告警已报告为安全事件。"), code="already_reported")
        spec = SPECS[alert.rule.code]
        alert.incident = report_incident(
            actor=actor,
            title=alert.title,
            kind=spec.incident_kind,
            level=spec.incident_level,
            description=f"{alert.description}\n" + _("（由安全监测告警“%(t)s”转报）") % {"t": alert.title},
            audit_entry_ids=list(alert.evidence.values_list("audit_entry_id", flat=True)[:1000]),
        )
        alert.kind = Alert.Kind.INCIDENT
        alert.save()
        record(
            "detection.alert.escalate",
            actor=actor,
            target=alert,
            detail={"rule": alert.rule.code, "incident": alert.incident_id},
        )
    return alert
