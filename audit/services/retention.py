"""Retention of the audit log (A2): Lhasa art. 41 (日志记录保留时间不少于3年), Tongren art. 34.

Entries are kept at least settings.AUDIT_RETENTION_YEARS (3 or more; less is refused). The job
drops whole monthly partitions whose every instant is older than the retention, never anything
younger. Before a drop it seals, checks the month against its blocks (every entry's digest, or
only its row count and ids when the daily full verification passed within
AUDIT_RETENTION_TRUST_VERIFICATION_HOURS and covered the month: "check" in the record says which)
and appends a chained entry
recording the range, row count and chain head; a month that fails its check is kept and the
auditors are alerted. The blocks stay, so the chain verifies from genesis, with the dropped
months' entries expected to be gone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

from audit.models import AuditBlock, AuditPartitionDrop, Outcome
from audit.services import record
from audit.services.dbroles import maintenance
from audit.services.partitions import Partition, list_partitions

MINIMUM_YEARS = 3
_LOCK = 7_341_004


def retention_years() -> int:
    """The configured retention, refused when under the legal minimum of 3 years (Lhasa art. 41)."""
    value = settings.AUDIT_RETENTION_YEARS
    if isinstance(value, bool) or not isinstance(value, int) or value < MINIMUM_YEARS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_YEARS={value!r}: 审计日志至少保存 {MINIMUM_YEARS} 年（拉萨市办法第四十一条）"
            f" / audit entries must be kept at least {MINIMUM_YEARS} years"
        )
    return value


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same local calendar instant `years` earlier (29 February becomes 28 February)."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - years)
    except ValueError:
        return local.replace(year=local.year - years, day=28)


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Entries at or after this instant must be kept."""
    return years_before(now or timezone.now(), retention_years())


def expired_partitions(*, now: dt.datetime | None = None) -> list[Partition]:
    cutoff = retention_cutoff(now=now)
    return [p for p in list_partitions() if p.range_to <= cutoff]


def apply_retention(*, now: dt.datetime | None = None) -> list[AuditPartitionDrop]:
    """Drop every monthly partition entirely older than the retention; returns what was dropped."""
    from audit.services.chain import seal

    retention_years()  # refuse before touching anything
    expired = expired_partitions(now=now)
    if not expired:
        return []
    seal()
    return [drop for p in expired if (drop := _drop(p, now=now)) is not None]


def _drop(partition: Partition, *, now: dt.datetime | None) -> AuditPartitionDrop | None:
    from audit.services.alerts import alert_auditors
    from audit.services.chain import chain_head
    from audit.services.verification import check_month, check_month_counts, covering_verification

    with maintenance(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        if partition.range_to > retention_cutoff(now=now):  # re-checked under the lock
            return None
        cursor.execute("SELECT to_regclass(%s)", [partition.name])
        if cursor.fetchone()[0] is None:
            return None  # dropped by a concurrent run
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(partition.name)).as_string(cursor.cursor)
        )
        rows = cursor.fetchone()[0]
        verification = covering_verification(partition.month, now=None)
        if verification is not None:  # every digest was re-computed hours ago: counts and ids suffice
            problems, check = check_month_counts(partition.month), f"verification:{verification.pk}"
        else:
            problems, check = check_month(partition.month), "digests"
        blocks = AuditBlock.objects.filter(month=partition.month).aggregate(first=Min("number"), last=Max("number"))
        head = chain_head()
        detail = {
            "partition": partition.name,
            "month": partition.month.isoformat(),
            "from": partition.range_from.isoformat(),
            "to": partition.range_to.isoformat(),
            "rows": rows,
            "first_block": blocks["first"],
            "last_block": blocks["last"],
            "chain_head_number": head.number if head else None,
            "chain_head_hash": head.block_hash if head else "",
            "retention_years": retention_years(),
            "check": check,
        }
        if problems:
            record(
                "audit.retention.refused",
                target=("audit.partition", partition.name),
                outcome=Outcome.FAILURE,
                detail={**detail, "problems": problems[:50]},
            )
            alert_auditors(
                key=f"audit.retention.refused:{partition.name}",
                title=_("到期审计日志未删除：校验未通过"),
                body=_("分区 %(name)s 在删除前的校验发现 %(count)s 个问题，已保留待查。")
                % {"name": partition.name, "count": len(problems)},
            )
            return None
        drop = AuditPartitionDrop(
            partition=partition.name,
            month=partition.month,
            range_from=partition.range_from,
            range_to=partition.range_to,
            row_count=rows,
            first_block=blocks["first"],
            last_block=blocks["last"],
            chain_head_number=detail["chain_head_number"],
            chain_head_hash=detail["chain_head_hash"],
            verified=True,
            problems=[],
            retention_years=retention_years(),
            dropped_at=timezone.now(),
        )
        drop.save()
        # The checkpoint entry is itself sealed into the chain by the next run.
        record("audit.retention.drop", target=("audit.partition", partition.name), detail=detail)
        cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(partition.name)).as_string(cursor.cursor))
        return drop
