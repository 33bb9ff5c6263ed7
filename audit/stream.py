"""The audit stream, read in order by the detection rules (issue 16 part 2, Tongren art. 35 安全监测).

Every read here is an index range scan on (occurred_at, id), (txid, id), (action, occurred_at) or
(actor_id, occurred_at) bounded by time, so a reader's cost follows the entries it asks for and
never the size of the table (the partitions outside the time range are pruned).

Entries commit out of order: an entry gets its time and id when it is written and becomes visible
when its transaction commits, possibly after a reader went past its (occurred_at, id). The seal
horizon (audit.services.chain) is the lowest transaction id that may still commit: an entry of a
later transaction that the reader did not see yet is found again by `late()` on the next read.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet

from audit.models import AuditEntry
from audit.services.chain import seal_horizon


def horizon() -> int:
    """The lowest txid that may still commit, read before the entries are (see the module doc)."""
    with connection.cursor() as cursor:
        return seal_horizon(cursor)


def after(*, at: dt.datetime, pk: int, limit: int) -> list[AuditEntry]:
    """The next `limit` entries after (at, pk), in (occurred_at, id) order."""
    return list(
        AuditEntry.objects.filter(occurred_at__gte=at)
        .exclude(Q(occurred_at=at) & Q(id__lte=pk))
        .order_by("occurred_at", "id")[:limit]
    )


def late(*, since: dt.datetime, at: dt.datetime, pk: int, txid_from: int) -> list[AuditEntry]:
    """Entries at or before (at, pk), not before `since`, written by a transaction that had not ended
    when the previous read took its horizon `txid_from`: the ones that may have committed late."""
    return list(
        AuditEntry.objects.filter(occurred_at__gte=since, occurred_at__lte=at, txid__gte=txid_from)
        .exclude(Q(occurred_at=at) & Q(id__gt=pk))
        .order_by("occurred_at", "id")
    )


def between(*, since: dt.datetime, until: dt.datetime) -> QuerySet[AuditEntry]:
    """Entries in [since, until]: the window a rule counts in (the caller narrows it by action,
    actor or address, which the indexes serve)."""
    return AuditEntry.objects.filter(occurred_at__gte=since, occurred_at__lte=until)


def first_for_object(*, action: str, object_type: str, object_id: str) -> AuditEntry | None:
    """The first entry of `action` on one object (e.g. the creation of an API key)."""
    return (
        AuditEntry.objects.filter(action=action, object_type=object_type, object_id=object_id)
        .order_by("occurred_at", "id")
        .first()
    )
