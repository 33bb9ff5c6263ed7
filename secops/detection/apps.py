from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectionConfig(AppConfig):
    """What the app brings to the portal: plugin.py."""

    name = "secops.detection"
    label = "detection"
    verbose_name = _("安全监测")
