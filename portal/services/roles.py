"""Role groups and department groups."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from portal.roles import DEPARTMENT_SELF_PERMISSIONS, Role, department_group_name, role_group_name, role_permissions


def _permissions(names, using="default"):
    wanted = {tuple(n.split(".", 1)) for n in names}
    found = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted})
        .select_related("content_type")
    )
    perms = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
    if missing:
        raise LookupError(f"unknown permissions: {sorted('.'.join(m) for m in missing)}")
    return perms


@transaction.atomic
def ensure_role_groups(using: str = "default") -> None:
    """Create the six role groups and set exactly their permissions (idempotent; runs after migrate)."""
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role_group_name(role))
        group.permissions.set(_permissions(role_permissions(role), using))


def ensure_department_group(department) -> Group:
    """The department's own group: its members; object permissions are granted to it."""
    from guardian.shortcuts import assign_perm

    group = department.group
    if group is None:
        group, _ = Group.objects.get_or_create(name=department_group_name(department.pk))
        type(department).objects.filter(pk=department.pk).update(group=group)
        department.group = group
    for perm in DEPARTMENT_SELF_PERMISSIONS:
        assign_perm(perm, group, department)
    return group


def set_user_roles(user, roles) -> None:
    """Make the user's role groups exactly `roles`, keeping their department group."""
    role_names = [role_group_name(Role(r)) for r in roles]
    keep = user.groups.exclude(name__in=[r.value for r in Role])
    user.groups.set(list(keep) + list(Group.objects.filter(name__in=role_names)))
    user.__dict__.pop("roles", None)
