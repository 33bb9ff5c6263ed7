"""Notifications: in-app rows, and e-mail sent by a Celery task after the transaction commits.

Idempotent: a notification is keyed on (user, key) — e.g. "catalog.duty.reminder:42" — so a job
that runs twice, or is retried, notifies once (PITFALLS: side effects keyed on object and event).
"""
from __future__ import annotations

from django.db import transaction

from portal.models import Notification


def notify(*, users, kind: str, key: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create the notification for each user that does not have it yet; e-mail the new ones.

    get_or_create on the unique (user, key) holds under concurrency: a second job racing the
    first gets the existing row and queues nothing."""
    users = [u for u in users if u is not None and u.is_active]
    if not users:
        return []
    created = []
    for user in {u.pk: u for u in users}.values():
        notification, is_new = Notification.objects.get_or_create(
            user=user, key=key[:200],
            defaults={"kind": kind, "title": str(title)[:200], "body": str(body), "url": url[:300]})
        if is_new:
            created.append(notification)
    ids = [n.pk for n in created]
    if ids:
        from portal.queue import enqueue_after_commit
        from portal.tasks import send_notification_emails

        enqueue_after_commit(send_notification_emails, ids)
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
