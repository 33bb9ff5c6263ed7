from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "protection.encryption"
    label = "encryption"
    verbose_name = _("加密存储")

    def ready(self):
        from celery.signals import worker_init

        from . import checks  # registers the master key checks

        worker_init.connect(checks.refuse_worker_without_key, weak=False, dispatch_uid="encryption.worker_init")
