"""What each user may see of the self-checks: the bureau and the auditors (Lhasa art. 39) see every
run and finding; a department's data officer the findings their department must put right."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.permissions import can
from secops.selfchecks.models import Finding, RiskAssessment, SelfCheckRun

VIEW_ALL = "selfchecks.view_selfcheckrun"
RESOLVE = "selfchecks.resolve_finding"
VIEW_ASSESSMENTS = "selfchecks.view_riskassessment"


def sees_all(user) -> bool:
    return can(user, VIEW_ALL)


def runs_visible_to(user) -> QuerySet[SelfCheckRun]:
    if not sees_all(user):
        return SelfCheckRun.objects.none()
    return SelfCheckRun.objects.select_related("requested_by")


def findings_visible_to(user) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("owner_department", "run")
    if sees_all(user):
        return qs
    if can(user, RESOLVE) and user.department_id is not None:
        return qs.filter(owner_department_id=user.department_id)
    return qs.none()


def open_findings_of(user) -> QuerySet[Finding]:
    """The findings waiting in the user's inbox: those their department must put right (the bureau's
    own findings wait for the bureau's people, whose department is the bureau)."""
    if not can(user, RESOLVE):
        return Finding.objects.none()
    mine = Q(owner_department_id=user.department_id) if user.department_id else Q(pk__in=[])
    if sees_all(user):  # the bureau's staff answer for the platform's own findings
        mine |= Q(owner_department__is_bureau=True) | Q(owner_department__isnull=True)
    return Finding.objects.filter(mine, status=Finding.Status.OPEN)


def assessments_visible_to(user) -> QuerySet[RiskAssessment]:
    if not can(user, VIEW_ASSESSMENTS):
        return RiskAssessment.objects.none()
    return RiskAssessment.objects.select_related("created_by").prefetch_related("findings")
