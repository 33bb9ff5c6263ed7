from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfChecksConfig(AppConfig):
    """What the app brings to the portal: plugin.py."""

    name = "secops.selfchecks"
    label = "selfchecks"
    verbose_name = _("安全自查")
