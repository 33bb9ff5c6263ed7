"""Reads of the encryption keys for the security self-checks (secops.selfchecks): data keys in use
(not retired) made before a date, whose rotation is due."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from protection.encryption.models import StoredKey


def keys_older_than(*, before: dt.datetime) -> QuerySet[StoredKey]:
    return StoredKey.objects.filter(retired_at__isnull=True, created_at__lt=before).order_by("created_at", "pk")
