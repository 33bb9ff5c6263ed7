"""What of the signatures app a user may see: receipts and signed decisions of their department's grants."""

from __future__ import annotations

from django.db.models import Q

from portal.permissions import can
from protection.signatures.models import Receipt, SignedDecision


def receipts_visible_to(user):
    """Delivery receipts: the requesting and the providing department see theirs (Sixian art. 28, Hechi
    art. 30: either side of a dispute holds the evidence); the bureau and auditors see all, audit heads too."""
    if not user.is_authenticated:
        return Receipt.objects.none()
    if can(user, "signatures.view_receipt"):
        return Receipt.objects.all()
    if user.department_id is None:
        return Receipt.objects.none()
    return Receipt.objects.filter(kind=Receipt.Kind.DELIVERY).filter(
        Q(requester_department_id=user.department_id) | Q(provider_department_id=user.department_id)
    )


def decisions_visible_to(user):
    if not user.is_authenticated:
        return SignedDecision.objects.none()
    if can(user, "signatures.view_receipt"):
        return SignedDecision.objects.all()
    if user.department_id is None:
        return SignedDecision.objects.none()
    return SignedDecision.objects.filter(
        Q(department_id=user.department_id) | Q(requester_department_id=user.department_id)
    )


def receipts_of_grant(user, grant_id: int, limit: int = 20):
    return receipts_visible_to(user).filter(grant_id=grant_id).order_by("-created_at", "-uid")[:limit]


def decisions_of_grant(user, *, grant_id: int | None, application_id: int | None):
    q = Q(pk__in=[])
    if grant_id:
        q |= Q(grant_id=grant_id)
    if application_id:
        q |= Q(application_id=application_id)
    return decisions_visible_to(user).filter(q).order_by("decided_at", "uid")
