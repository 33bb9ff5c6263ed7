"""Reads of the portal's own data that several callers need."""

from typing import Any

from django.db.models import QuerySet

from portal.models import Department, User
from portal.roles import Role


def department_tree(*, active_only: bool = True) -> list[dict]:
    """Departments as nested dicts {department, children}, roots first, in one query."""
    qs = Department.objects.all().order_by("name")
    if active_only:
        qs = qs.filter(is_active=True)
    nodes: dict[int, dict[str, Any]] = {d.pk: {"department": d, "children": []} for d in qs}
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["department"].parent_id)
        (parent["children"] if parent else roots).append(node)
    level_order = {Department.Level.CITY: 0, Department.Level.COUNTY: 1, Department.Level.DEPARTMENT: 2}
    for node in nodes.values():
        node["children"].sort(key=lambda n: (level_order[n["department"].level], n["department"].name))
    return roots


def users_with_role(role: Role, *, department: Department | None = None) -> QuerySet[User]:
    """Active users holding `role`, optionally of one department."""
    qs = User.objects.filter(is_active=True, groups__name=role.value)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.distinct()
