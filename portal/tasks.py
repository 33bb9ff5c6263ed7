"""Celery tasks of the portal: thin wrappers around services."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification, NotificationPreference


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once: the row is locked and stamped in the transaction that sends it.

    A batch (a sweep queues one task for hundreds of notifications) reads the rows and the users'
    opt-outs once and uses one mail connection; opted-out rows are settled (stamped, never sent)
    together; each e-mail is still sent in its own transaction, so a worker killed mid-batch sends
    at most one e-mail twice and the re-delivered task (or the periodic job) sends the rest."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(user__email="")
        .values_list("pk", "user_id", "kind")
        .order_by("pk")
    )
    if not pending:
        return 0
    opted_out = set(
        NotificationPreference.objects.filter(
            user_id__in={user_id for _pk, user_id, _kind in pending},
            kind__in={kind for _pk, _u, kind in pending},
            email=False,
        ).values_list("user_id", "kind")
    )
    settled = [pk for pk, user_id, kind in pending if (user_id, kind) in opted_out]
    if settled:
        Notification.objects.filter(pk__in=settled, emailed_at__isnull=True).update(emailed_at=timezone.now())
    to_send = [pk for pk, user_id, kind in pending if (user_id, kind) not in opted_out]
    if not to_send:
        return 0
    sent = 0
    with get_connection() as mail:
        for pk in to_send:
            with transaction.atomic():
                n = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("user")
                    .filter(pk=pk, emailed_at__isnull=True)
                    .first()
                )
                if n is None:  # sent meanwhile, or being sent by another worker
                    continue
                send_mail(
                    str(n.title),
                    f"{n.body}\n\n{n.url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [n.user.email],
                    connection=mail,
                )
                Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())
                sent += 1
    return sent


@shared_task(ignore_result=True)
def send_pending_notification_emails(older_than_minutes: int = 2, batch: int = 500) -> int:
    """E-mails of notifications whose task never reached a worker (the broker was down): sent once,
    like the others (send_notification_emails locks and stamps each row). Users without an e-mail
    address are left out: their rows stay unstamped and would otherwise fill every batch."""
    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff)
        .exclude(user__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    return send_notification_emails(ids) if ids else 0
