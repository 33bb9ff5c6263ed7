from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台管理")

    def ready(self):
        from portal import plugins

        plugins.discover()  # every installed app's plugin.py (portal/plugins.py)
