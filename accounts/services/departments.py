"""Departments managed in the portal (issue 19 part 6): the bureau admin adds a department to the
city's tree, renames it, moves it, changes its contact or switches it off. A department is never
deleted (its resources, grants and the audit log name it). Its group follows it (portal.signals).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import ADD_DEPARTMENT, MANAGE_DEPARTMENTS
from audit.services import record
from portal.errors import DomainError
from portal.models import Department, User
from portal.permissions import require

FIELDS = (
    "name",
    "short_name",
    "code",
    "uscc",
    "level",
    "parent",
    "is_bureau",
    "contact_name",
    "contact_phone",
    "is_active",
)


def _snapshot(department: Department) -> dict:
    return {f: (department.parent_id if f == "parent" else getattr(department, f)) for f in FIELDS}


def _validated(department: Department) -> None:
    """The model's rules (required fields, unique code and credit code, the tree's levels), as a
    refusal naming the fields."""
    try:
        department.full_clean(exclude=["group"])
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid_department", errors=errors) from None


def department_create(*, actor: User, **values) -> Department:
    """Add a department to the city's tree (市 → 县/区 → 部门)."""
    require(actor, ADD_DEPARTMENT)
    with transaction.atomic():
        department = Department(**{k: v for k, v in values.items() if k in FIELDS})
        _validated(department)
        department.save()
        record("accounts.department.create", actor=actor, target=department, detail=_snapshot(department))
    return department


def department_change(*, actor: User, pk: int, **values) -> Department:
    """Rename, move or switch off a department; the audit entry keeps what it was."""
    require(actor, MANAGE_DEPARTMENTS)
    with transaction.atomic():
        department = Department.objects.select_for_update().filter(pk=pk).first()
        if department is None:
            from portal.errors import NotFoundError

            raise NotFoundError()
        before = _snapshot(department)
        for field, value in values.items():
            if field in FIELDS:
                setattr(department, field, value)
        _validated(department)
        if before["is_active"] and not department.is_active and department.children.filter(is_active=True).exists():
            message = _("该部门还有启用的下级部门，请先停用下级部门。")
            raise DomainError(message, code="active_children", errors={"is_active": [message]})
        department.save()
        after = _snapshot(department)
        changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if changed:
            record("accounts.department.change", actor=actor, target=department, detail={"changed": changed})
    return department
