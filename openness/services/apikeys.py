"""API keys of the public REST API (spec O4): a registered user creates and revokes them.

A key is shown once, at creation; only its SHA-256 is stored. Every call looks the key up in the
database (unique prefix, then a constant-time comparison of the hash), so a revoked key is refused
from the next call on: nothing caches it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from openness.models import ApiKey
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.permissions import require

CREATE = "openness.add_apikey"
MAX_ACTIVE_KEYS = 10
PREFIX = "od_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def apikey_create(*, actor, name: str) -> tuple[ApiKey, str]:
    """A new key of the actor; returns (key, secret). The secret is never stored nor shown again."""
    require(actor, CREATE)
    name = (name or "").strip()
    if not name or len(name) > 50:
        message = _("请填写密钥名称（不超过 50 个字），如：科研项目。")
        raise DomainError(message, code="invalid_key", errors={"name": [message]})
    active = ApiKey.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    if len(active) >= MAX_ACTIVE_KEYS:
        raise InvalidTransitionError(_("每个用户最多有 %(n)d 个有效密钥，请先撤销不用的密钥。") % {"n": MAX_ACTIVE_KEYS})
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    key = ApiKey.objects.create(user=actor, name=name, prefix=prefix, key_hash=_digest(secret))
    record("openness.apikey.create", actor=actor, target=key, detail={"prefix": prefix, "name": name})
    return key, secret


@transaction.atomic
def apikey_revoke(*, actor, key: ApiKey) -> ApiKey:
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
    prefix, _sep, rest = secret[len(PREFIX):].partition("_")
    if len(prefix) != 8 or not rest:
        return None
    return prefix


def authenticate(secret: str) -> ApiKey | None:
    """The active key matching secret, or None (unknown, malformed or revoked)."""
    prefix = parse(secret)
    if prefix is None:
        return None
    key = ApiKey.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.key_hash, _digest(secret.strip())):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        # at most one write a minute per key: no hot row under a busy client
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
