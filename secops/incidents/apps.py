from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """What the app brings to the portal (permissions, navigation, suspension checks): plugin.py."""

    name = "secops.incidents"
    label = "incidents"
    verbose_name = _("安全事件")
