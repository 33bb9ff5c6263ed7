from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    """What the app brings to the portal (roles' permissions, navigation, audit's head hooks): plugin.py."""

    name = "protection.signatures"
    label = "signatures"
    verbose_name = _("电子签名与存证")
