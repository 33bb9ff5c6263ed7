"""API tokens stored hashed (issue 10 §6): the key is returned once; only its SHA-256 is kept, so
a copy of the database does not give anyone a working token."""
from __future__ import annotations

import hashlib
import secrets
import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import record
from portal.models import ApiToken

MAX_ACTIVE_TOKENS = 20
TOUCH_EVERY = dt.timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, actor, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the actor; the oldest active ones beyond MAX_ACTIVE_TOKENS are revoked."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name[:100], prefix=key[:8], key_hash=digest(key))
    stale = list(ApiToken.objects.filter(user=actor, revoked_at__isnull=True).order_by("-created_at")
                 .values_list("pk", flat=True)[MAX_ACTIVE_TOKENS:])
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(revoked_at=timezone.now())
    record("auth.token_issued", actor=actor, target=actor, detail={"token": token.prefix})
    return token, key


def token_authenticate(key: str) -> ApiToken | None:
    if not key or len(key) > 200:
        return None
    token = (ApiToken.objects.select_related("user", "user__department")
             .filter(key_hash=digest(key), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record("auth.token_revoked", actor=actor, target=actor, detail={"token": token.prefix})
