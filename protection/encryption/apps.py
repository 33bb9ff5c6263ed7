from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "protection.encryption"
    label = "encryption"
    verbose_name = _("加密存储")

    def ready(self):
        from . import checks  # noqa: F401  (registers the master key checks)
