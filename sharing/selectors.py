"""Reads of the sharing app, already filtered by what the user may see.

- the bureau (reviewers, admins) sees everything;
- a department sees what it asked for or received, and what was asked of it or taken from it
  (docs/features.md S8: providers see who used their data, users see their own use).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from portal.permissions import can
from sharing.models import Application, Coordination, Deadline, Grant, GrantUse, Objection, Scenario

PENDING = (Application.Status.SUBMITTED, Application.Status.ESCALATED)


def sees_all(user) -> bool:
    return can(user, "sharing.view_all_applications")


def _department_filter(user, *fields: str) -> Q:
    if not user.is_authenticated or not user.department_id:
        return Q(pk__in=[])
    q = Q()
    for name in fields:
        q |= Q(**{name: user.department_id})
    return q


def applications_visible_to(user) -> QuerySet:
    qs = Application.objects.select_related(
        "entry", "entry_version", "applicant_department", "provider_department", "applicant", "deadline", "grant"
    )
    if sees_all(user):
        return qs
    return qs.filter(_department_filter(user, "applicant_department_id", "provider_department_id"))


def review_queue(user) -> QuerySet:
    """Applications waiting for this user's decision, most urgent first."""
    qs = Application.objects.select_related("entry", "entry_version", "applicant_department", "deadline", "grant")
    q = Q(pk__in=[])
    if can(user, "sharing.review_unconditional"):
        q |= Q(review_by=Application.Reviewer.BUREAU, status=Application.Status.SUBMITTED)
    if can(user, "sharing.rule_escalated"):
        q |= Q(review_by=Application.Reviewer.PROVIDER, status=Application.Status.ESCALATED)
    if user.department_id and can(user, "portal.review_share_requests", user.department):
        q |= Q(review_by=Application.Reviewer.PROVIDER, provider_department_id=user.department_id, status__in=PENDING)
    return qs.filter(q).order_by("deadline__due_at", "submitted_at")


def grants_visible_to(user) -> QuerySet:
    qs = Grant.objects.select_related("entry", "application__entry_version", "holder_department", "provider_department")
    if sees_all(user):
        return qs
    return qs.filter(_department_filter(user, "holder_department_id", "provider_department_id"))


def grants_held_by(user) -> QuerySet:
    if not user.department_id:
        return Grant.objects.none()
    return grants_visible_to(user).filter(holder_department_id=user.department_id)


def grants_provided_by(user) -> QuerySet:
    if not user.department_id:
        return Grant.objects.none()
    return grants_visible_to(user).filter(provider_department_id=user.department_id)


def live_grants(*, department_id: int, entry_id: int, now: dt.datetime | None = None) -> QuerySet:
    return Grant.objects.filter(
        holder_department_id=department_id,
        entry_id=entry_id,
        status=Grant.Status.ACTIVE,
        expires_at__gte=now or timezone.now(),
    )


def grants_full_rows(user, entry) -> bool:
    """For the catalog's row preview (catalog.selectors.row_access_checks(); sharing/plugin.py): true
    only when the user's department holds a live grant that already shows every item of the entry's rows, in
    clear — a 查阅 or 获取 grant of all items with nothing masked. A narrower grant (some items,
    masked items, 比对 or 统计 only) is used through the sharing pages, which keep to it."""
    if not user.is_authenticated or not user.department_id or not can(user, "sharing.use_grant"):
        return False
    from catalog.services.loads import latest_load

    grants = list(
        live_grants(department_id=user.department_id, entry_id=entry.pk).filter(
            mode__in=["query", "pull"], masked_items=[]
        )
    )
    if not grants:
        return False
    load = latest_load(entry)
    keys = {c["key"] for c in load.columns} if load else set()
    return any(keys <= set(g.items) for g in grants)


def uses_visible_to(user, *, side: str = "all") -> QuerySet:
    """Grant uses: side "provided" (of the user's department's data), "used" (by it), or "all"."""
    qs = GrantUse.objects.select_related("grant__entry", "user", "user_department", "provider_department")
    if side == "provided":
        return qs.filter(_department_filter(user, "provider_department_id"))
    if side == "used":
        return qs.filter(_department_filter(user, "user_department_id"))
    if sees_all(user):
        return qs
    return qs.filter(_department_filter(user, "provider_department_id", "user_department_id"))


def usage_summary(uses: QuerySet) -> list[dict]:
    """How much: uses, refusals and amounts per (using department, provider, mode)."""
    return list(
        uses.order_by()
        .values("user_department__name", "provider_department__name", "mode")
        .annotate(
            uses=Count("id", filter=Q(outcome=GrantUse.Outcome.SUCCESS)),
            denied=Count("id", filter=Q(outcome=GrantUse.Outcome.DENIED)),
            amount=Sum("amount", filter=Q(outcome=GrantUse.Outcome.SUCCESS)),
        )
        .order_by("user_department__name", "mode")
    )


def objections_visible_to(user) -> QuerySet:
    qs = Objection.objects.select_related("entry", "user_department", "provider_department", "raised_by", "deadline")
    if sees_all(user):
        return qs
    return qs.filter(_department_filter(user, "user_department_id", "provider_department_id"))


def coordinations_visible_to(user) -> QuerySet:
    qs = Coordination.objects.select_related(
        "entry", "applicant_department", "provider_department", "applicant", "deadline"
    )
    if sees_all(user):
        return qs
    return qs.filter(_department_filter(user, "applicant_department_id", "provider_department_id"))


def scenarios_visible_to(user) -> QuerySet:
    qs = Scenario.objects.select_related("entry", "entry__published_version").prefetch_related("departments")
    if can(user, "sharing.view_scenario"):
        return qs
    return qs.filter(is_active=True)


def overdue_counts(
    *, since: dt.datetime | None = None, until: dt.datetime | None = None, now: dt.datetime | None = None
) -> list[dict]:
    """Per responsible department and kind of answer (for the evaluation, Lhasa art. 43-44; docs/features.md P3):
    total deadlines received in the period, answered on time, answered late, open and overdue,
    and `overdue` = late + open overdue. Ordered by most overdue first."""
    now = now or timezone.now()
    qs = Deadline.objects.filter(department__isnull=False)
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    open_overdue = Q(closed_at__isnull=True, due_at__lt=now)
    rows = (
        qs.order_by()
        .values("department_id", "department__name", "kind")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(closed_at__isnull=False, overdue=False)),
            late=Count("id", filter=Q(closed_at__isnull=False, overdue=True)),
            open_overdue=Count("id", filter=open_overdue),
            overdue=Count("id", filter=Q(overdue=True) | open_overdue),
        )
    )
    result = [
        {
            "department_id": r["department_id"],
            "department": r["department__name"],
            "kind": r["kind"],
            "total": r["total"],
            "on_time": r["on_time"],
            "late": r["late"],
            "open_overdue": r["open_overdue"],
            "overdue": r["overdue"],
        }
        for r in rows
    ]
    result.sort(key=lambda r: (-r["overdue"], r["department"], r["kind"]))
    return result
