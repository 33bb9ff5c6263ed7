"""Keyset pagination over (occurred_at, id), newest first: fast at any depth of a huge log,
where OFFSET and COUNT(*) are not."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

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


@dataclass
class NumberedPage:
    """One numbered page of the auditor's list: 第 n 页 of a count that stops at COUNT_CAP."""

    rows: list
    number: int
    count: int
    more: bool  # more rows than were counted
    last_counted: int  # the last page the count reaches
    size: int
    next_cursor: str | None = None  # past the counted pages: keyset from the last row

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last_counted or self.next_cursor is not None

    def numbers(self, around: int = 2) -> list[int | None]:
        """1 … n-2 n-1 n n+1 n+2 … last: a few page numbers, None for a gap."""
        wanted = {1, self.last_counted, *range(self.number - around, self.number + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.last_counted)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def numbered_page(queryset: QuerySet, *, page: int, size: int = 50, cap: int = COUNT_CAP) -> NumberedPage:
    """Page `page` (from 1) by OFFSET within the first `cap` rows, newest first. The count stops at
    cap + 1 (the log is partitioned and large: no COUNT(*) of the whole table per page load, A4); past
    the counted pages the last page hands over a keyset cursor. ValueError for a page out of range."""
    if page < 1:
        raise ValueError("page")
    count, more = capped_count(queryset, cap)
    last_counted = max(1, -(-count // size))
    if page > last_counted:
        raise ValueError("page")
    rows = list(queryset.order_by("-occurred_at", "-id")[(page - 1) * size : page * size])
    next_cursor = encode_cursor(rows[-1]) if more and page == last_counted and rows else None
    return NumberedPage(rows, page, count, more, last_counted, size, next_cursor)
