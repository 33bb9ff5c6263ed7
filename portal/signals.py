"""Keep department groups and memberships in step with departments and users."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.models import Department, User
from portal.roles import department_group_name


@receiver(post_save, sender=Department, dispatch_uid="department_group")
def _department_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from portal.services.roles import ensure_department_group

    if instance.group_id is None:
        ensure_department_group(instance)


@receiver(post_save, sender=User, dispatch_uid="user_department_group")
def _user_saved(sender, instance, raw=False, **kwargs):
    """A user is a member of their department's group only (moves follow the user)."""
    if raw:
        return
    from django.contrib.auth.models import Group

    department_groups = instance.groups.filter(name__startswith="department:")
    wanted = department_group_name(instance.department_id) if instance.department_id else None
    stale = [g for g in department_groups if g.name != wanted]
    if stale:
        instance.groups.remove(*stale)
    if wanted and not any(g.name == wanted for g in department_groups):
        group = Group.objects.filter(name=wanted).first()
        if group is not None:
            instance.groups.add(group)
