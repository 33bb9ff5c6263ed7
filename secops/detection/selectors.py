"""What each user may see of detection: the rules are the bureau admin's; the alerts are read by
the bureau's security staff and the auditors (Lhasa art. 39)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.permissions import can
from secops.detection.models import Alert, AlertEvidence, DetectionRule
from secops.detection.services.rules import ensure_rules

VIEW_RULES = "detection.view_detectionrule"
VIEW_ALERTS = "detection.view_alert"


def rules_visible_to(user) -> QuerySet[DetectionRule]:
    if not can(user, VIEW_RULES):
        return DetectionRule.objects.none()
    ensure_rules()
    return DetectionRule.objects.select_related("changed_by").order_by("id")


def alerts_visible_to(user) -> QuerySet[Alert]:
    if not can(user, VIEW_ALERTS):
        return Alert.objects.none()
    return Alert.objects.select_related("rule", "incident", "closed_by")


def evidence_of(alert: Alert) -> QuerySet[AlertEvidence]:
    return alert.evidence.order_by("occurred_at", "audit_entry_id")
