"""API tokens stored hashed (SECURITY.md, web security): the key is returned once; only its SHA-256 is kept, so
a copy of the database does not give anyone a working token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.models import ApiToken, User

MAX_ACTIVE_TOKENS = 20
TOUCH_EVERY = dt.timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, actor: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the actor; the oldest active ones beyond MAX_ACTIVE_TOKENS are revoked."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name[:100], prefix=key[:8], key_hash=digest(key))
    stale = list(
        ApiToken.objects.filter(user=actor, revoked_at__isnull=True)
        .order_by("-created_at")
        .values_list("pk", flat=True)[MAX_ACTIVE_TOKENS:]
    )
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(revoked_at=timezone.now())
    record("auth.token_issued", actor=actor, target=actor, detail={"token": token.prefix})
    return token, key


class TokenExpired(Exception):
    """A token that exists and was not revoked, but was left unused too long or is too old."""


def expiry_reason(token: ApiToken, now: dt.datetime) -> str | None:
    """Why the token no longer works, or None: like a web session (SESSION_IDLE_MINUTES), a token
    lapses when unused for API_TOKEN_IDLE_DAYS, and in any case API_TOKEN_MAX_AGE_DAYS after its issue."""
    idle, max_age = settings.API_TOKEN_IDLE_DAYS, settings.API_TOKEN_MAX_AGE_DAYS
    if max_age and now - token.created_at > dt.timedelta(days=max_age):
        return _("令牌已超过有效期（签发后 %(n)s 天），请重新申请令牌。") % {"n": max_age}
    last = token.last_used_at or token.created_at
    if idle and now - last > dt.timedelta(days=idle):
        return _("令牌已失效（连续 %(n)s 天未使用），请重新申请令牌。") % {"n": idle}
    return None


def token_authenticate(key: str) -> ApiToken | None:
    """The live token with this key, None for an unknown or revoked one; TokenExpired (with the
    reason as its message) for one that lapsed."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(key_hash=digest(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    reason = expiry_reason(token, now)
    if reason:
        raise TokenExpired(reason)
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record("auth.token_revoked", actor=actor, target=actor, detail={"token": token.prefix})


def tokens_revoke_all(*, user: User) -> int:
    """Every live token of the user, revoked (SECURITY.md 14.9: a new password ends them); how many."""
    with transaction.atomic():
        live = list(
            ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True)
        )
        if live:
            ApiToken.objects.filter(pk__in=live).update(revoked_at=timezone.now())
    return len(live)
