"""Reads of the audit log for the security self-checks (secops.selfchecks): shared-account signals,
department moves, backups and restore drills, the last chain verification. They name no entry
content beyond what a finding needs (who, when, from where)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from audit.models import AuditEntry, AuditVerification

# Actions under which the backup and the restore drill are recorded (SECURITY.md, backup and restore).
BACKUP_ACTIONS = ("backoffice.backup", "backup.run")
RESTORE_ACTIONS = ("backoffice.restore", "backup.restore", "backoffice.restore_drill")


def shared_account_signals(*, since: dt.datetime, until: dt.datetime, min_addresses: int = 2) -> list[dict]:
    """One row per account and day on which it signed in from `min_addresses` or more client
    addresses (the city opinion 004 forbids shared accounts): actor_id, actor_username, day, addresses."""
    rows = (
        AuditEntry.objects.filter(
            action="auth.login", occurred_at__gte=since, occurred_at__lt=until, client_ip__isnull=False
        )
        .exclude(actor_id__isnull=True)
        .values("actor_id", "actor_username", "department_id", "occurred_at__date")
        .annotate(addresses=Count("client_ip", distinct=True))
        .filter(addresses__gte=min_addresses)
        .order_by("actor_id", "occurred_at__date")
    )
    return [
        {
            "actor_id": r["actor_id"],
            "actor_username": r["actor_username"],
            "department_id": r["department_id"],
            "day": r["occurred_at__date"],
            "addresses": r["addresses"],
        }
        for r in rows[:500]
    ]


def department_moves(*, since: dt.datetime, until: dt.datetime) -> QuerySet[AuditEntry]:
    """Changes of a user's department: the admin site records the changed fields in its message."""
    user_change = Q(action="admin.change", object_type="portal.user") & (
        Q(detail__message__icontains="所属部门") | Q(detail__message__icontains="department")
    )
    return AuditEntry.objects.filter(
        user_change | Q(action="portal.user.department"), occurred_at__gte=since, occurred_at__lt=until
    ).order_by("occurred_at", "id")


def last_entry(actions) -> AuditEntry | None:
    return AuditEntry.objects.filter(action__in=actions, outcome="success").order_by("-occurred_at", "-id").first()


def last_backup() -> AuditEntry | None:
    return last_entry(BACKUP_ACTIONS)


def last_restore_drill() -> AuditEntry | None:
    return last_entry(RESTORE_ACTIONS)


def last_verification() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-started_at", "-id").first()
