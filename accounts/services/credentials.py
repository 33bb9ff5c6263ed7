"""What a user's password gave out ends with it (SECURITY.md 14.9): the portal's API tokens and whatever
other apps registered (the open-data API keys of public users), in one transaction, audited.

portal is the bottom layer and imports no other app: an app whose credentials hang on the
password lists a revoker in its plugin (portal.plugins, `credential_revokers`), as it lists its
navigation. Called by portal.validators.CredentialsEndWithPassword whenever a password changes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.services.tokens import tokens_revoke_all
from audit.services import record
from portal import plugins
from portal.models import User


def revokers() -> dict[str, Callable[..., int]]:
    """name -> revoker(*, user) -> how many credentials it revoked, of every installed app."""
    return plugins.merged("credential_revokers")


def credentials_revoke(*, user: User, cause: str) -> dict[str, int]:
    """Revoke every live API token and registered credential of the user; returns the counts.
    Recorded when anything was revoked (a new account's first password revokes nothing)."""
    with transaction.atomic():
        counts = {"api_tokens": tokens_revoke_all(user=user)}
        for name, revoker in revokers().items():
            counts[name] = revoker(user=user)
        if any(counts.values()):
            record("auth.credentials.revoke", target=user, detail={"cause": cause, **counts})
    return counts
