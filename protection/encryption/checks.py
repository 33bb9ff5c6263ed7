"""System checks: the portal refuses to start without a usable master key (SECURITY.md)."""
from django.core import checks
from django.utils.translation import gettext as _

from . import keys


@checks.register(checks.Tags.security)
def master_key_check(app_configs=None, **kwargs):
    try:
        keys.provider()
    except keys.MasterKeyError as exc:
        return [checks.Error(
            _("加密存储的主密钥不可用：%(error)s") % {"error": exc},
            hint=_("恢复主密钥文件或环境变量；丢失主密钥即丢失加密的数据（见 SECURITY.md）"),
            id="encryption.E001",
        )]
    return []
