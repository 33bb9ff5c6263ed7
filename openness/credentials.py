"""SECURITY.md 14.9: a public user's open-data API keys end with the password they were made under
(registered with accounts.services.credentials in OpennessConfig.ready)."""

from __future__ import annotations

from openness.models import ApiKey
from openness.services.apikeys import apikey_revoke


def revoke_keys_of(*, user) -> int:
    """Each live key revoked through the owner's own revocation (audited per key); how many."""
    keys = list(ApiKey.objects.filter(user=user, revoked_at__isnull=True))
    for key in keys:
        apikey_revoke(actor=user, key=key)
    return len(keys)
