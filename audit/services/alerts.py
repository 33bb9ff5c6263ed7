"""Messages to the auditors (Lhasa art. 39: they, not the admins, look after the log)."""

from __future__ import annotations

from django.urls import reverse

from portal.roles import Role
from portal.selectors import users_with_role


def auditors() -> list:
    return list(users_with_role(Role.AUDITOR))


KIND_ALERT = "audit.alert"
KIND_CHAIN_HEAD = "audit.chain_head"


def alert_auditors(*, key: str, title: str, body: str, url: str | None = None, kind: str = KIND_ALERT) -> int:
    """Notify every auditor once per key (in-app and e-mail after commit); returns how many."""
    from portal.services.notifications import notify

    users = auditors()
    notify(
        users=users,
        kind=kind,
        key=key,
        title=str(title),
        body=str(body),
        url=url if url is not None else reverse("audit:integrity"),
    )
    return len(users)
