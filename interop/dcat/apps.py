from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DcatConfig(AppConfig):
    """What the app brings to the portal: plugin.py."""

    name = "interop.dcat"
    label = "dcat"
    verbose_name = _("目录互通")
