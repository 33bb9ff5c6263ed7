"""Periodic tasks in the admin site: the protected ones (the audit's own) are read-only (SECURITY.md 14.20).

The bureau admin may change periodic tasks (portal.roles); the audit watches the bureau admin, so
the audit's seal, verification, head export, partition, retention and usage jobs must not be
switchable by that role (Lhasa art. 39 separation of duties). Their change page shows them without
a save button (a forged POST is refused with 403 and audited), they cannot be deleted, and the bulk
actions that disable or toggle tasks leave them out and record the refusal. Beat restores
them from the registry anyway (config/beat.py), should a change reach the table another way.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from audit.services import record
from config.beat import protected_names


def is_protected(task) -> bool:
    return task is not None and task.name in protected_names()


class ProtectedPeriodicTaskAdmin(PeriodicTaskAdmin):
    def has_change_permission(self, request, obj=None):
        return not is_protected(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_protected(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, self._unprotected(request, queryset, "delete"))

    def _unprotected(self, request, queryset, action: str):
        names = protected_names()
        refused = sorted(queryset.filter(name__in=names).values_list("name", flat=True))
        if refused:
            record(
                "admin.beat.protected_refused",
                actor=request.user,
                target=("periodic_task", ",".join(refused)[:64]),
                outcome="denied",
                detail={"action": action, "tasks": refused},
            )
            self.message_user(
                request,
                _("审计任务不能由管理员停用、修改或删除，已跳过：%(names)s") % {"names": "、".join(refused)},
                messages.WARNING,
            )
        return queryset.exclude(name__in=names)

    @admin.action(description=PeriodicTaskAdmin.disable_tasks.short_description)
    def disable_tasks(self, request, queryset):
        return super().disable_tasks(request, self._unprotected(request, queryset, "disable"))

    @admin.action(description=PeriodicTaskAdmin.toggle_tasks.short_description)
    def toggle_tasks(self, request, queryset):
        return super().toggle_tasks(request, self._unprotected(request, queryset, "toggle"))


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, ProtectedPeriodicTaskAdmin)
