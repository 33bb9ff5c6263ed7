from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CkanConfig(AppConfig):
    """What the app brings to the portal: plugin.py."""

    name = "interop.ckan"
    label = "ckan"
    verbose_name = _("CKAN兼容接口")
