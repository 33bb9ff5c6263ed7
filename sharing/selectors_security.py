"""Reads of grants for the security self-checks (secops.selfchecks): grants past their expiry still
active, and active grants nobody used for a long time (Lhasa art. 22: a grant is for the stated use
only; one not used should end)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from sharing.models import Grant, GrantUse


def expired_but_active(*, now: dt.datetime) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(status=Grant.Status.ACTIVE, expires_at__lt=now)
        .select_related("entry", "provider_department", "holder_department")
        .order_by("pk")
    )


def unused_since(*, since: dt.datetime, now: dt.datetime) -> QuerySet[Grant]:
    """Active, unexpired grants granted before `since` with no successful use since then."""
    used = GrantUse.objects.filter(grant=OuterRef("pk"), outcome=GrantUse.Outcome.SUCCESS, used_at__gte=since)
    return (
        Grant.objects.filter(status=Grant.Status.ACTIVE, expires_at__gte=now, granted_at__lt=since)
        .exclude(Exists(used))
        .select_related("entry", "provider_department", "holder_department")
        .order_by("pk")
    )
