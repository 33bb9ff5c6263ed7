"""Who is told about what: the people behind departments and the bureau."""

from __future__ import annotations

from django.urls import reverse

from portal.models import Department
from portal.roles import Role
from portal.selectors import users_with_role


def officers(department: Department) -> list:
    """The data officers of a department (they review and answer for it)."""
    if department is None:
        return []
    return list(users_with_role(Role.DATA_OFFICER, department=department))


def bureau_reviewers() -> list:
    return list(users_with_role(Role.BUREAU_REVIEWER))


def bureau_department() -> Department | None:
    """The 大数据发展管理局, when the city has registered it: it answers for unconditional reviews."""
    return Department.objects.filter(is_bureau=True, is_active=True).order_by("pk").first()


def url(name: str, pk: int) -> str:
    return reverse(f"sharing:{name}", args=[pk])
