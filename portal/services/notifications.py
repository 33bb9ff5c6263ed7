"""Notifications: in-app rows, and e-mail sent by a Celery task after the transaction commits.

Idempotent: a notification is keyed on (user, key) — e.g. "catalog.duty.reminder:42" — so a job
that runs twice, or is retried, notifies once (PITFALLS: side effects keyed on object and event).
"""
from __future__ import annotations

from django.db import transaction

from portal.models import Notification


def notify(*, users, kind: str, key: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create the notification for each user that does not have it yet; e-mail the new ones."""
    users = [u for u in users if u is not None and u.is_active]
    if not users:
        return []
    rows = [Notification(user=u, kind=kind, key=key[:200], title=str(title)[:200], body=str(body), url=url[:300])
            for u in users]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(Notification.objects.filter(user__in=users, key=key[:200], emailed_at__isnull=True))
    ids = [n.pk for n in created]
    if ids:
        from portal.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
