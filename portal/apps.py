from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台管理")

    def ready(self):
        from portal import signals  # noqa: F401

        post_migrate.connect(_after_migrate, dispatch_uid="portal_roles")


def _after_migrate(sender, using="default", **kwargs):
    # Permissions of every app exist only once the last app's post_migrate has run.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from portal.services.roles import ensure_role_groups

    ensure_role_groups(using=using)
