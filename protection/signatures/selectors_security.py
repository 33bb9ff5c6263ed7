"""Reads of the signatures' key records for the security self-checks (secops.selfchecks):
certificates that expire soon or have expired while not revoked."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from protection.signatures.models import Certificate


def certificates_expiring(*, before: dt.datetime) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(revoked_at__isnull=True, not_after__lt=before)
        .select_related("key__department")
        .order_by("not_after", "pk")
    )
