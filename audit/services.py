"""The audit entry point every service calls (Lhasa art. 41; spec A1).

record() inserts the entry on the caller's connection, so inside the caller's
transaction.atomic() the entry and the business change commit or roll back together.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from audit.models import AuditEntry, Outcome
from portal.request_context import current_request


def _describe(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        return f"{meta.app_label}.{meta.model_name}", str(target.pk or ""), str(target)[:200]
    if isinstance(target, (tuple, list)) and len(target) in (2, 3):
        parts = [str(p) for p in target] + [""]
        return parts[0][:60], parts[1][:64], parts[2][:200]
    return type(target).__name__[:60], "", str(target)[:200]


def record(
    action: str,
    *,
    actor=None,
    target: Any = None,
    outcome: str = Outcome.SUCCESS,
    detail: dict | None = None,
    request=None,
) -> AuditEntry | None:
    """Record one operation: time, actor, department, role, action, object, outcome, client address, request id.

    `action` is a dotted code ("auth.login", "catalog.entry.submit"); `target` a model instance or
    a (type, id[, label]) tuple; `detail` a JSON-serialisable dict (never secrets or row data).
    """
    if not settings.PORTAL.get("AUDIT_ENABLED", True):
        return None
    request = request or current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    object_type, object_id, object_repr = _describe(target)
    entry = AuditEntry(
        occurred_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        outcome=outcome,
        detail=detail or {},
        client_ip=getattr(request, "client_ip", None) if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )
    if actor is not None and getattr(actor, "is_authenticated", False):
        entry.actor_id = actor.pk
        entry.actor_username = actor.get_username()
        entry.actor_name = getattr(actor, "real_name", "") or ""
        department = getattr(actor, "department", None)
        if department is not None:
            entry.department_id = department.pk
            entry.department_name = department.name
        role = actor.primary_role if hasattr(actor, "primary_role") else None
        entry.role = role.value if role else ""
    entry.save(force_insert=True)
    return entry
