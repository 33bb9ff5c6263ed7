from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import plugins  # importable before the app registry: it imports no model


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台管理")

    def ready(self):
        plugins.discover()  # every installed app's plugin.py (portal/plugins.py)
