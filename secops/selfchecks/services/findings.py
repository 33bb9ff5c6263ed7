"""Putting findings right (整改): 待整改 → 已整改, or 已接受风险 with the reason, and back to 待整改.

Tongren art. 15(七): the self-check is followed by its rectification; the owner department's data
officer marks its own findings, the bureau any. Every move is a line of the finding's history and an
audit entry, in the same transaction (Lhasa art. 41)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from secops.selfchecks import transitions
from secops.selfchecks.models import Finding, FindingChange

RESOLVE, VIEW_ALL = "selfchecks.resolve_finding", "selfchecks.view_selfcheckrun"
ACTIONS = ("fix", "accept", "reopen")


def may_resolve(user, finding: Finding) -> bool:
    if not can(user, RESOLVE):
        return False
    return can(user, VIEW_ALL) or (user.department_id is not None and user.department_id == finding.owner_department_id)


def finding_move(*, actor, finding: Finding, action: str, reason: str = "") -> Finding:
    """Move one finding; accepting a risk needs its reason (an accepted risk is a decision someone
    answers for)."""
    reason = (reason or "").strip()
    if action not in ACTIONS:
        raise DomainError(_("未知的操作。"), code="invalid_action", errors={"action": [_("未知的操作。")]})
    if action == "accept" and not reason:
        message = _("接受风险必须说明理由。")
        raise DomainError(message, code="reason_required", errors={"reason": [message]})
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if not may_resolve(actor, finding):
            raise PermissionDeniedError(_("只有责任部门的数据管理员或大数据局可以整改该问题。"))
        before = finding.status
        transitions.move(finding, action)
        finding.reason = reason if action == "accept" else finding.reason
        finding.changed_at = timezone.now()
        transitions.save(finding, update_fields=["reason", "changed_at"])
        FindingChange.objects.create(
            finding=finding, from_status=before, to_status=finding.status, actor=actor, note=reason
        )
        record(
            f"selfchecks.finding.{action}",
            actor=actor,
            target=finding,
            detail={"from": before, "to": finding.status, "reason": reason[:500], "check": finding.check_code},
        )
    return finding
