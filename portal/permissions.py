"""The one place the apps ask "may this user do this to this object".

Rule (see portal.roles): a permission held through a city-wide role applies to every object;
a permission held through a department role applies only to objects that the user, or the
user's department group, was granted with django-guardian (direct foreign-key tables).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from portal.errors import PermissionDeniedError
from portal.roles import Role, role_group_name

_CACHE_ATTR = "_portal_role_perms"


def _role_perms(user) -> tuple[set[str], set[str]]:
    """(city-wide perms, department-scoped perms) held through the user's role groups, cached on the user.

    The same statement gives the user's roles (every role group, with or without permissions), so
    `user.roles` (the audit entry's role) is filled here too and costs no statement of its own.
    """
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    city_groups = [role_group_name(r) for r in Role.city_wide()]
    rows = Group.objects.filter(user=user, name__in=[role_group_name(r) for r in Role]).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    city, department, names = set(), set(), set()
    for group_name, app_label, codename in rows:
        names.add(group_name)
        if codename is not None:
            (city if group_name in city_groups else department).add(f"{app_label}.{codename}")
    setattr(user, _CACHE_ATTR, (city, department))
    if "roles" not in user.__dict__:  # portal.models.User.roles, a cached_property: same order, same roles
        user.__dict__["roles"] = [role for role in Role.ordered() if role_group_name(role) in names]
    return city, department


def user_roles(user) -> list[Role]:
    """The user's roles, from the same cached statement as the permission checks (one per request)."""
    _role_perms(user)
    return user.roles


def forget_cached_permissions(user) -> None:
    for attr in (_CACHE_ATTR, "_perm_cache", "_group_perm_cache", "_user_perm_cache", "roles"):
        user.__dict__.pop(attr, None)


def can(user, perm: str, obj: Model | None = None) -> bool:
    """True if `user` may use `perm` ("app_label.codename") on `obj` (or at all, when obj is None)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    city, department = _role_perms(user)
    if perm in city:
        return True
    if perm not in department:
        return False
    if obj is None:
        return True
    checker = getattr(user, "_portal_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        user._portal_checker = checker
    return checker.has_perm(perm.split(".", 1)[1], obj)


def require(user, perm: str, obj: Model | None = None) -> None:
    """Raise PermissionDeniedError (HTTP 403 with a Chinese message) unless can(user, perm, obj)."""
    if not can(user, perm, obj):
        raise PermissionDeniedError()


def filter_allowed(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The objects of `queryset` on which `user` may use `perm` (for lists; one query, no loop)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    city, department = _role_perms(user)
    if perm in city:
        return queryset
    if perm not in department:
        return queryset.none()
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=False, with_superuser=False)


def prefetch_for(user, objects) -> None:
    """Load the user's object permissions on many objects at once, before can() in a loop."""
    if user is None or not user.is_authenticated:
        return
    checker = getattr(user, "_portal_checker", None) or ObjectPermissionChecker(user)
    user._portal_checker = checker
    objects = list(objects)
    if objects:
        checker.prefetch_perms(objects)


def grant_to_department(perm: str, department, obj: Model) -> None:
    """Grant `perm` on `obj` to every member of `department` (through the department's group)."""
    assign_perm(perm, department.group, obj)


def revoke_from_department(perm: str, department, obj: Model) -> None:
    remove_perm(perm, department.group, obj)


def grant_to_user(perm: str, user, obj: Model) -> None:
    assign_perm(perm, user, obj)


def role_group(role: Role) -> Group:
    return Group.objects.get(name=role_group_name(role))
