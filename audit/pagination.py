"""Keyset pagination over (occurred_at, id), newest first: fast at any depth of a huge log,
where OFFSET and COUNT(*) are not."""

from __future__ import annotations

import base64
import datetime as dt

from django.db.models import Q, QuerySet

COUNT_CAP = 10000


def encode_cursor(entry) -> str:
    raw = f"{entry.occurred_at.isoformat()}|{entry.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    """Raises ValueError for anything that is not a cursor this module made."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("bad cursor") from exc


def keyset_page(queryset: QuerySet, *, cursor: str | None, size: int = 50) -> tuple[list, str | None]:
    """One page of entries after `cursor`, and the cursor of the next page (None on the last)."""
    queryset = queryset.order_by("-occurred_at", "-id")
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk), occurred_at__lte=moment
        )
    rows = list(queryset[: size + 1])
    if len(rows) > size:
        return rows[:size], encode_cursor(rows[size - 1])
    return rows, None


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): at most `cap` rows are counted."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap
