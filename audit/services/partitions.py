"""Monthly partitions of the entry table (A2; PostgreSQL docs 5.11 table partitioning).

Partitions are created ahead by a periodic job so that an INSERT always finds its month; there is
no default partition, so an entry never lands somewhere the retention job cannot drop by month.
Bounds are local midnight (settings.TIME_ZONE) of each month's first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit.services.dbroles import PARTITION_PREFIX, app_role, maintenance

_LOCK = 7_341_001  # advisory lock key of the partition job


@dataclass(frozen=True)
class Partition:
    name: str
    month: dt.date
    range_from: dt.datetime
    range_to: dt.datetime


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{PARTITION_PREFIX}{month:%Y%m}"


def ensure_partitions(
    *, months_ahead: int | None = None, months_back: int = 1, today: dt.date | None = None
) -> list[str]:
    """Create the partitions from `months_back` months ago to `months_ahead` months ahead (idempotent).

    Lhasa art. 41 (A2): entries are stored by month so that retention drops whole months.
    Runs as the tables' owner (maintenance path); two runs at once serialise on an advisory lock.
    """
    months_ahead = settings.AUDIT_PARTITIONS_AHEAD_MONTHS if months_ahead is None else months_ahead
    current = month_start(today or timezone.localdate())
    months = [add_months(current, n) for n in range(-months_back, months_ahead + 1)]
    return [create_partition(month=m) for m in months]


def create_partition(*, month: dt.date) -> str:
    """Create the partition of `month` if missing; returns its name."""
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute(
            "SELECT audit_create_partition(%s, %s, %s)", [month_start(month), settings.TIME_ZONE, app_role() or None]
        )
        return cursor.fetchone()[0]


def list_partitions() -> list[Partition]:
    """The entry table's partitions, oldest first, with their bounds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_auditentry'::regclass "
            "ORDER BY c.relname"
        )
        rows = cursor.fetchall()
    partitions = []
    for name, _bound in rows:
        if not name.startswith(PARTITION_PREFIX):
            continue
        month = dt.date(int(name[-6:-2]), int(name[-2:]), 1)
        partitions.append(Partition(name, month, *month_bounds(month)))
    return partitions


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, first instant of the next month) in the portal's time zone."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(month_start(month), dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(add_months(month_start(month), 1), dt.time.min, tzinfo=tz)
    return start, end
