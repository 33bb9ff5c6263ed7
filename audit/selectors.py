"""Reads of the audit log. Permission filtering happens here, never in templates."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from audit.models import AuditEntry, AuditHeadExport, AuditPartitionDrop, AuditVerification, UsageSummary
from portal.errors import PermissionDeniedError
from portal.permissions import can

USAGE_ROLES = ("provider", "user")


def entries_for(*, user) -> QuerySet[AuditEntry]:
    """The whole log, for whoever holds audit.view_auditentry (the auditors, Lhasa art. 39); nobody else."""
    if not can(user, "audit.view_auditentry"):
        raise PermissionDeniedError()
    return AuditEntry.objects.all()


def usage_entries(
    *, department, role: str = "provider", since: dt.datetime, until: dt.datetime
) -> QuerySet[AuditEntry]:
    """Usage log of one department (Lhasa art. 41: pushed to the providing and using departments; S8).

    role="provider": every entry about the department's data (who used it, when, how);
    role="user": the department's own use of data (entries of its people on any department's data).
    `since` inclusive, `until` exclusive; newest first. The caller checks who may see it.
    """
    department_id = getattr(department, "pk", department)
    qs = AuditEntry.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    if role == "provider":
        qs = qs.filter(owner_department_id=department_id)
    elif role == "user":
        qs = qs.filter(department_id=department_id, owner_department_id__isnull=False)
    else:
        raise ValueError(f"role must be one of {USAGE_ROLES}, not {role!r}")
    return qs.order_by("-occurred_at", "-id")


def usage_summaries(*, month: dt.date, department=None) -> QuerySet[UsageSummary]:
    """Monthly usage figures ready to be sent (the monthly notification sends them to the departments, docs/features.md A5)."""
    qs = UsageSummary.objects.filter(month=month.replace(day=1))
    if department is not None:
        qs = qs.filter(department_id=getattr(department, "pk", department))
    return qs.order_by("department_id", "role")


def latest_verification() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-started_at", "-id").first()


def integrity_status() -> dict:
    """What the bureau and the auditors see of the log's integrity (no entry content)."""
    from audit.services.chain import chain_head

    return {
        "verification": latest_verification(),
        "recent_verifications": list(AuditVerification.objects.order_by("-started_at", "-id")[:10]),
        "head": chain_head(),
        "head_export": AuditHeadExport.objects.order_by("-day").first(),
        "drops": list(AuditPartitionDrop.objects.order_by("-month")[:12]),
    }
