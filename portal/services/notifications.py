"""Notifications: in-app rows, and e-mail sent by a Celery task after the transaction commits.

Idempotent: a notification is keyed on (user, key) — e.g. "catalog.duty.reminder:42" — so a job
that runs twice, or is retried, notifies once (docs/conventions.md, pitfalls: side effects keyed on object and event).
"""

from __future__ import annotations

import contextlib
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import Notification
from portal.notification_kinds import KINDS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One notification for some users, before it is written."""

    users: tuple
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


# The notices collected inside batched(), per thread and task (None: write at once).
_collected: ContextVar[list[Notice] | None] = ContextVar("portal_notifications_collected", default=None)


def notify(*, users, kind: str, key: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create the notification for each user that does not have it yet; e-mail the new ones.

    Inside batched() the notice is only collected (and [] returned): the batch writes it."""
    if kind not in KINDS:
        # A kind no app's plugin declares (portal.plugins) can't be switched off on the preferences page.
        if getattr(settings, "NOTIFICATION_KINDS_STRICT", False):
            raise ValueError(f"notification kind {kind!r} is not registered: no app's plugin declares it")
        logger.warning("notification kind %r is not registered: no app's plugin declares it", kind)
    notice = Notice(users=tuple(users), kind=kind, key=key, title=str(title), body=str(body), url=url)
    collected = _collected.get()
    if collected is not None:
        collected.append(notice)
        return []
    return notify_many([notice])


@contextlib.contextmanager
def batched():
    """Collect the notify() calls of a block and write them as one: one INSERT, one e-mail task.

    For sweeps that notify for hundreds of objects in one transaction. Use it inside the
    transaction: the notices are written when the block ends without error (an error discards
    them, as the rollback would). Nested in another batched(), it adds to the outer one."""
    if _collected.get() is not None:
        yield
        return
    collected: list[Notice] = []
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    _insert(collected)


_INSERT = """
    INSERT INTO portal_notification (user_id, key, kind, title, body, url, created_at)
    SELECT user_id, key, kind, title, body, url, %s
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
         AS n(user_id, key, kind, title, body, url)
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING id, user_id, key
"""


def notify_many(notices) -> list[Notification]:
    """Write the notifications that do not exist yet, and queue one e-mail task for the new ones."""
    return [
        Notification(
            pk=pk,
            user_id=user_id,
            key=notice.key[:200],
            kind=notice.kind,
            title=notice.title[:200],
            body=notice.body,
            url=notice.url[:300],
            created_at=created_at,
        )
        for pk, user_id, notice, created_at in _insert(notices)
    ]


def _insert(notices) -> list[tuple]:
    """One INSERT ... ON CONFLICT (user, key) DO NOTHING for every (user, notice): under concurrency
    the unique (user, key) decides, so of two jobs racing for a key exactly one gets the row back
    (and e-mails it), the other waits for it to commit and gets nothing. Rows go in (user, key)
    order, so two such inserts never wait for each other crosswise (no deadlock).

    Returns (id, user id, notice, created_at) of the rows made; they are e-mailed by one task."""
    rows: dict[tuple[int, str], Any] = {}
    for notice in notices:
        for user in notice.users:
            if user is not None and user.is_active:
                rows.setdefault((user.pk, notice.key[:200]), notice)
    if not rows:
        return []
    ordered = sorted(rows)
    chosen = [rows[k] for k in ordered]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT,
            [
                now,
                [pk for pk, _k in ordered],
                [k for _p, k in ordered],
                [n.kind for n in chosen],
                [n.title[:200] for n in chosen],
                [n.body for n in chosen],
                [n.url[:300] for n in chosen],
            ],
        )
        inserted = cursor.fetchall()
    if inserted:
        from portal.queue import enqueue_after_commit
        from portal.tasks import send_notification_emails

        enqueue_after_commit(send_notification_emails, sorted(pk for pk, _u, _k in inserted))
    return [(pk, user_id, rows[(user_id, key)], now) for pk, user_id, key in inserted]


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
