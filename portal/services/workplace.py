"""Reading and settling notifications; e-mail preferences (docs/features.md P2)."""

from django.db import transaction
from django.utils import timezone

from portal.models import Notification, NotificationPreference, User
from portal.notification_kinds import KINDS


def notification_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications (or all of them) as read."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor: User, email_kinds: set[str]) -> None:
    """E-mail only for `email_kinds`; every other known kind is switched to in-app only."""
    for kind in KINDS:
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"email": kind in email_kinds})


def email_enabled_kinds(user: User) -> set[str]:
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {k for k in KINDS if k not in off}
