"""The audit entry point every service calls (Lhasa art. 41; docs/features.md A1).

record() inserts the entry on the caller's connection, so inside the caller's
transaction.atomic() the entry and the business change commit or roll back together.

The other audit services live in the submodules: partitions, chain (seal), verification, heads,
retention, exports, usage, dbroles (the application's database role).
"""

from __future__ import annotations

import contextlib
import json
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from audit.models import AuditEntry, Outcome
from portal.request_context import current_request

# The entries collected inside batched(), per thread and task (None: insert at once).
_collected: ContextVar[list[AuditEntry] | None] = ContextVar("audit_entries_collected", default=None)

# Names of a foreign key to the department whose data an object is (the provider), in order.
_OWNER_FIELDS = ("provider_department", "provider", "owner_department")


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


def _owner_department_id(target: Any, detail: dict) -> int | None:
    """The department whose data the operation concerns, for the usage logs (A5, Lhasa art. 41).

    In order: detail["provider_department_id"]; the target's `audit_owner_department_id`
    attribute; a foreign key of the target named provider_department / provider /
    owner_department that points to portal.Department.
    """
    value = detail.get("provider_department_id") if isinstance(detail, dict) else None
    if value is None and isinstance(target, models.Model):
        value = getattr(target, "audit_owner_department_id", None)
        if value is None:
            for name in _OWNER_FIELDS:
                try:
                    field = target._meta.get_field(name)
                except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
                    continue
                if (
                    isinstance(field, models.ForeignKey)
                    and field.many_to_one
                    and field.related_model is not None
                    and field.related_model._meta.label == "portal.Department"
                ):
                    value = getattr(target, field.attname)
                    break
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _remember(request, entry: AuditEntry) -> None:
    """Tell the audit middleware that this request recorded an entry, and remember what it was
    about (the admin's LogEntry hook skips what was already recorded).

    The middleware records a fallback entry unless one of the request's entries survived. An entry
    is known to have survived once its transaction committed: an on_commit callback (run at once in
    autocommit, dropped with a rolled-back transaction or savepoint) adds its id to
    `_audit_committed_ids`, which spares the middleware a SELECT to find out.
    """
    bound = current_request()
    holders = [
        holder
        for holder in {id(r): r for r in (request, getattr(request, "_request", None), bound) if r is not None}.values()
        if getattr(holder, "_audit_entry_ids", None) is not None
    ]
    for holder in holders:
        holder._audit_entry_ids.append(entry.pk)
        targets = holder.__dict__.setdefault("_audit_targets", set())
        targets.add((entry.action, entry.object_type, entry.object_id))
    if holders:
        connection = transaction.get_connection(entry._state.db)
        # on_commit() refuses manual transaction management; the middleware then checks with a SELECT.
        if connection.in_atomic_block or connection.get_autocommit():
            transaction.on_commit(lambda: _committed(holders, entry.pk), using=entry._state.db)


def _committed(holders, pk) -> None:
    for holder in holders:
        holder.__dict__.setdefault("_audit_committed_ids", []).append(pk)


def recorded_in_request(action: str, object_type: str, object_id: str) -> bool:
    request = current_request()
    return request is not None and (action, object_type, object_id) in getattr(request, "_audit_targets", set())


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
    To show the entry to the providing department (usage logs, A5), give the target a foreign key
    `provider` / `provider_department` to portal.Department, an `audit_owner_department_id`
    attribute, or put "provider_department_id" in `detail`.
    """
    if not settings.PORTAL.get("AUDIT_ENABLED", True):
        return None
    request = request or current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    object_type, object_id, object_repr = _describe(target)
    detail = detail or {}
    entry = AuditEntry(
        occurred_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        outcome=outcome,
        detail=detail,
        owner_department_id=_owner_department_id(target, detail),
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
    collected = _collected.get()
    if collected is not None:
        collected.append(entry)
        return entry
    _insert(entry)
    if request is not None:
        _remember(request, entry)
    return entry


# The columns record() fills (txid is set by the table's trigger). One prepared INSERT rather than
# Model.save(): the entry is written on every audited request, and save()'s signals and field
# preparation cost more than the statement (nothing listens to an entry's post_save).
_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_name",
    "department_id",
    "department_name",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "client_ip",
    "request_id",
    "detail",
    "owner_department_id",
)
_INSERT = (
    f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) RETURNING id"
)


def _insert(entry: AuditEntry) -> None:
    values = [getattr(entry, name) for name in _COLUMNS]
    # as the model's fields would prepare them: JSON text, "" as no address, plain str for choices
    values[_COLUMNS.index("detail")] = json.dumps(entry.detail)
    values[_COLUMNS.index("client_ip")] = entry.client_ip or None
    values[_COLUMNS.index("outcome")] = str(entry.outcome)
    db = router.db_for_write(AuditEntry)
    with connections[db].cursor() as cursor:
        cursor.execute(_INSERT, values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, db


@contextlib.contextmanager
def batched():
    """Collect the record() calls of a block and insert them as one multi-row INSERT when it ends.

    For jobs that record hundreds of entries in one transaction (the deadline sweep). Use it inside
    that transaction: the entries are inserted when the block ends without error, in the order they
    were recorded, each with its own time, and get the transaction's id from the same trigger as
    single inserts (so the seal job treats them alike); an error discards them, as the rollback
    would. Inside the block record() returns the entry without its id (set once the block ends).
    Nested in another batched(), it adds to the outer one."""
    if _collected.get() is not None:
        yield
        return
    collected: list[AuditEntry] = []
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    if collected:
        AuditEntry.objects.bulk_create(collected)
        request = current_request()
        if request is not None:
            for entry in collected:
                _remember(request, entry)
