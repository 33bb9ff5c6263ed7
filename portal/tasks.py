"""Celery tasks of the portal: thin wrappers around services."""
import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification, NotificationPreference


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once: the row is locked and stamped in the same transaction."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            n = (Notification.objects.select_for_update(skip_locked=True).select_related("user")
                 .filter(pk=pk, emailed_at__isnull=True).first())
            if n is None or not n.user.email:
                continue
            if NotificationPreference.objects.filter(user=n.user, kind=n.kind, email=False).exists():
                n.emailed_at = timezone.now()  # opted out: settled, never sent
                n.save(update_fields=["emailed_at"])
                continue
            send_mail(str(n.title), f"{n.body}\n\n{n.url}".strip(), settings.DEFAULT_FROM_EMAIL, [n.user.email])
            n.emailed_at = timezone.now()
            n.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(ignore_result=True)
def send_pending_notification_emails(older_than_minutes: int = 2, batch: int = 500) -> int:
    """E-mails of notifications whose task never reached a worker (the broker was down): sent once,
    like the others (send_notification_emails locks and stamps each row)."""
    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:batch])
    return send_notification_emails(ids) if ids else 0
