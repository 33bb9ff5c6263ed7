from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The top layer: what composes the apps rather than belonging to one — the admin site's pages,
    backup and restore, the evaluation dashboard's pages and yearly report. Every app may be imported
    here; nothing but config/ imports this app."""

    name = "backoffice"
    verbose_name = _("后台管理")
