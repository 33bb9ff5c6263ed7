"""Who manages whose account (issue 19 part 6): the bureau admin every account and department, a
data officer the staff of their own department, never an account holding a bureau role.

The rule lives here and nowhere else: the pages, the API and the services look users up through
users_manageable_by() (another department's user answers 404, SECURITY.md 14.4) and check the roles
granted against grantable_roles().
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.models import Department, User
from portal.permissions import can, user_roles
from portal.roles import Role, role_group_name

# A bureau admin holds these city-wide (portal.roles.ROLE_PERMISSIONS).
MANAGE_USERS = "portal.change_user"
MANAGE_DEPARTMENTS = "portal.change_department"
ADD_DEPARTMENT = "portal.add_department"


def manages_every_department(actor) -> bool:
    return can(actor, MANAGE_USERS)


def manages_own_department(actor) -> bool:
    """A data officer with a department manages that department's staff."""
    if actor is None or not actor.is_authenticated or not actor.is_active or not actor.department_id:
        return False
    return Role.DATA_OFFICER in user_roles(actor)


def may_manage_staff(actor) -> bool:
    return manages_every_department(actor) or manages_own_department(actor)


def grantable_roles(actor) -> list[Role]:
    """The roles the actor may give or take away: every role for the bureau admin, the department
    roles for a data officer (never a bureau role, nor the public user's)."""
    if manages_every_department(actor):
        return Role.ordered()
    if manages_own_department(actor):
        return list(Role.department_roles())
    return []


def _holds_city_wide_role():
    names = [role_group_name(r) for r in Role.city_wide()]
    return Exists(Group.objects.filter(user=OuterRef("pk"), name__in=names))


def users_manageable_by(actor) -> QuerySet[User]:
    """The accounts the actor may see and change on the staff pages."""
    users = User.objects.select_related("department").order_by("department__name", "username")
    if manages_every_department(actor):
        return users
    if manages_own_department(actor):
        return users.filter(department_id=actor.department_id, is_superuser=False).exclude(_holds_city_wide_role())
    return users.none()


def departments_for_staff_of(actor) -> QuerySet[Department]:
    """The departments the actor may put an account in."""
    departments = Department.objects.order_by("level", "name")
    if manages_every_department(actor):
        return departments
    if manages_own_department(actor):
        return departments.filter(pk=actor.department_id)
    return departments.none()


def departments_managed_by(actor) -> QuerySet[Department]:
    """The departments whose own record (name, code, parent...) the actor may change."""
    departments = Department.objects.select_related("parent").order_by("level", "name")
    return departments if can(actor, MANAGE_DEPARTMENTS) else departments.none()


def users_filtered(users: QuerySet[User], *, department=None, role: str = "", active: str = "", q: str = ""):
    """The staff list's filters: department, role, active or not, a name or user name."""
    if department is not None:
        users = users.filter(department=department)
    if role:
        users = users.filter(groups__name=role_group_name(Role(role)))
    if active == "1":
        users = users.filter(is_active=True)
    elif active == "0":
        users = users.filter(is_active=False)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(real_name__icontains=q))
    return users.distinct()
