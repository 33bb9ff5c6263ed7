"""The portal refuses to start without the right master key (SECURITY.md "Encryption at rest"):
a system check for a missing or malformed key, a database check for data keys wrapped by a
master key the provider does not hold (a key file replaced or lost), and verify_at_startup()
that the WSGI/ASGI application and the Celery worker call before serving anything."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import keys

HINT = gettext_lazy(
    "恢复正确的主密钥文件或环境变量（轮换后的旧主密钥放入 ENCRYPTION_PREVIOUS_MASTER_KEY_FILES）；"
    "丢失主密钥即丢失加密的数据（见 SECURITY.md）"
)


def problems(*, database: bool) -> list[str]:
    try:
        provider = keys.provider()
    except keys.MasterKeyError as exc:
        return [_("加密存储的主密钥不可用：%(error)s") % {"error": exc}]
    if not database:
        return []
    from .services import unknown_master_keys

    try:
        unknown = unknown_master_keys()
    except DatabaseError:  # no table yet (before migrate) or no database: the other checks say so
        return []
    if unknown:
        return [
            _("数据密钥由主密钥 %(ids)s 加密，当前主密钥为 %(current)s：主密钥错误或缺失，拒绝启动")
            % {"ids": "、".join(sorted(unknown)), "current": provider.key_id()}
        ]
    return []


@checks.register(checks.Tags.security)
def master_key_check(app_configs=None, **kwargs):
    return [checks.Error(message, hint=str(HINT), id="encryption.E001") for message in problems(database=False)]


@checks.register(checks.Tags.database)
def master_key_matches_data(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    if problems(database=False):
        return []  # encryption.E001 says it
    return [checks.Error(message, hint=str(HINT), id="encryption.E002") for message in problems(database=True)]


def verify_at_startup() -> None:
    """ImproperlyConfigured (the server does not start) unless the master key opens the data."""
    found = problems(database=True)
    if found:
        raise ImproperlyConfigured(" ".join(found) + " — " + str(HINT))


def refuse_worker_without_key(**kwargs) -> None:
    """Celery's worker_init: a worker without the right master key stops before taking a task
    (SystemExit: Celery's signal dispatch swallows ordinary exceptions)."""
    try:
        verify_at_startup()
    except ImproperlyConfigured as exc:
        import sys

        print(f"encryption: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(f"encryption: {exc}") from None
