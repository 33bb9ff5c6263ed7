"""API keys of the public REST API (docs/features.md O4): a registered user creates, renews and revokes them.

A key is shown once, at creation; only its SHA-256 is stored. Every call looks the key up in the
database (unique prefix, then a constant-time comparison of the hash), so a revoked key is refused
from the next call on: nothing caches it. SECURITY.md 14.16: a key expires API_KEY_DAYS (365) after it was
created or last renewed; an expired key is refused with a message saying so, and its owner renews it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from openness.conf import setting
from openness.models import ApiKey
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.models import User
from portal.permissions import require

CREATE = "openness.add_apikey"
MAX_ACTIVE_KEYS = 10
PREFIX = "od_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def apikey_create(*, actor: User, name: str) -> tuple[ApiKey, str]:
    """A new key of the actor; returns (key, secret). The secret is never stored nor shown again."""
    require(actor, CREATE)
    name = (name or "").strip()
    if not name or len(name) > 50:
        message = _("请填写密钥名称（不超过 50 个字），如：科研项目。")
        raise DomainError(message, code="invalid_key", errors={"name": [message]})
    active = ApiKey.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    if len(active) >= MAX_ACTIVE_KEYS:
        raise InvalidTransitionError(
            _("每个用户最多有 %(n)d 个有效密钥，请先撤销不用的密钥。") % {"n": MAX_ACTIVE_KEYS}
        )
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    key = ApiKey.objects.create(
        user=actor, name=name, prefix=prefix, key_hash=_digest(secret), expires_at=_expiry(timezone.now())
    )
    record(
        "openness.apikey.create",
        actor=actor,
        target=key,
        detail={"prefix": prefix, "name": name, "expires_at": _iso(key.expires_at)},
    )
    return key, secret


def _expiry(now: dt.datetime) -> dt.datetime | None:
    days = int(setting("API_KEY_DAYS"))
    return now + dt.timedelta(days=days) if days > 0 else None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def apikey_renew(*, actor: User, key: ApiKey) -> ApiKey:
    """The owner renews a key (expired or not): it is valid API_KEY_DAYS from now, same secret."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.user_id != actor.pk:
        raise PermissionDeniedError(_("只能续期自己的密钥。"))
    if key.revoked_at is not None:
        raise InvalidTransitionError(_("已撤销的密钥不能续期，请创建新密钥。"))
    previous, key.expires_at = key.expires_at, _expiry(timezone.now())
    key.save(update_fields=["expires_at"])
    record(
        "openness.apikey.renew",
        actor=actor,
        target=key,
        detail={"prefix": key.prefix, "previous_expiry": _iso(previous), "expires_at": _iso(key.expires_at)},
    )
    return key


@transaction.atomic
def apikey_revoke(*, actor: User, key: ApiKey) -> ApiKey:
    """The owner revokes a key: refused from the next call on."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.user_id != actor.pk:
        raise PermissionDeniedError(_("只能撤销自己的密钥。"))
    if key.revoked_at is not None:
        raise InvalidTransitionError(_("该密钥已撤销。"))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record("openness.apikey.revoke", actor=actor, target=key, detail={"prefix": key.prefix})
    return key


def parse(secret: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    secret = (secret or "").strip()
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    prefix, _sep, rest = secret[len(PREFIX) :].partition("_")
    if len(prefix) != 8 or not rest:
        return None
    return prefix


@dataclass(frozen=True)
class KeyCheck:
    key: ApiKey | None  # the key, when it is valid
    refusal: str = ""  # "invalid" (unknown, malformed, revoked, its user inactive) or "expired"
    message: str = ""
    expired_at: dt.datetime | None = None


def check(secret: str) -> KeyCheck:
    """The active, unexpired key matching secret, or why it is refused (with a Chinese message)."""
    prefix = parse(secret)
    key = None
    if prefix is not None:
        key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, _digest(secret.strip())) or not key.user.is_active:
        return KeyCheck(None, "invalid", _("接口密钥无效或已撤销。"))
    now = timezone.now()
    if key.is_expired(now):
        # only the holder of the whole secret learns that it expired (an unknown key stays "invalid")
        message = _("接口密钥已于 %(date)s 过期，请登录后在“接口密钥”页面续期。") % {
            "date": timezone.localtime(key.expires_at).strftime("%Y-%m-%d")
        }
        return KeyCheck(None, "expired", message, key.expires_at)
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        # at most one write a minute per key: no hot row under a busy client
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return KeyCheck(key)


def authenticate(secret: str) -> ApiKey | None:
    """The active, unexpired key matching secret, or None (unknown, malformed, revoked or expired)."""
    return check(secret).key
