"""The rules' switches and thresholds, edited by the bureau (Tongren art. 35: the platform watches
itself; the bureau decides how closely)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from portal.permissions import require
from secops.detection.models import DetectionRule, RuleCode
from secops.detection.rules import SPECS

CHANGE = "detection.change_detectionrule"


def ensure_rules() -> None:
    """Every rule exists, with its defaults (idempotent; a new rule appears switched on)."""
    if DetectionRule.objects.count() == len(RuleCode):
        return
    DetectionRule.objects.bulk_create(
        [
            DetectionRule(
                code=code,
                threshold=spec.threshold,
                factor=Decimal(str(spec.factor)),
                window=spec.window,
                opens_incident=spec.opens_incident,
            )
            for code, spec in SPECS.items()
        ],
        ignore_conflicts=True,
    )


def _number(value, name: str, *, low, high, decimal: bool = False):
    try:
        number = Decimal(str(value)) if decimal else int(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(
            _("请填写有效的数字。"), code="bad_number", errors={name: [_("请填写有效的数字。")]}
        ) from None
    if not (low <= number <= high):
        message = _("取值范围为 %(low)s 至 %(high)s。") % {"low": low, "high": high}
        raise DomainError(message, code="out_of_range", errors={name: [message]})
    return number


def rule_update(
    *,
    actor,
    rule: DetectionRule,
    enabled: bool | None = None,
    threshold=None,
    factor=None,
    window=None,
    opens_incident: bool | None = None,
) -> DetectionRule:
    """The bureau admin switches a rule on or off and sets its numbers; the change is audited with
    the values before and after."""
    require(actor, CHANGE)
    changes = {}
    if enabled is not None:
        changes["enabled"] = bool(enabled)
    if opens_incident is not None:
        changes["opens_incident"] = bool(opens_incident)
    if threshold is not None:
        changes["threshold"] = _number(threshold, "threshold", low=1, high=1_000_000)
    if factor is not None:
        changes["factor"] = _number(factor, "factor", low=Decimal("1"), high=Decimal("1000"), decimal=True)
    if window is not None:
        changes["window"] = _number(window, "window", low=0, high=100_000)
    with transaction.atomic():
        rule = DetectionRule.objects.select_for_update().get(pk=rule.pk)
        before = {name: str(getattr(rule, name)) for name in changes}
        for name, value in changes.items():
            setattr(rule, name, value)
        rule.changed_by, rule.changed_at = actor, timezone.now()
        rule.save()
        record(
            "detection.rule.change",
            actor=actor,
            target=rule,
            detail={"rule": rule.code, "before": before, "after": {k: str(v) for k, v in changes.items()}},
        )
    return rule
