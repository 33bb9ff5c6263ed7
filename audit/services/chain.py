"""Sealing entries into hash-chained blocks (A3; seed 004 完整性检查、抗抵赖; Hechi 2nd art. 41 可追溯).

record() never waits for a chain lock: entries are inserted freely and a periodic job seals them.
Which entries are final? An entry may commit long after it got its id and time (a long business
transaction), so neither id order nor a time horizon is safe. Each entry carries the id of the
transaction that inserted it (txid, set by a trigger, plus a base that only a restore into a new
PostgreSQL cluster moves, see migration 0005). At the moment a seal run starts, every
transaction of this database older than the oldest one still running has ended; no entry with a
txid below that horizon can ever appear later. A run seals exactly the entries with
  previous run's horizon <= txid < this run's horizon,
one block per month (so that retention can drop a month without cutting into a block).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditBlock
from audit.services.canonical import ENTRY_DIGEST_SQL, GENESIS_HASH, block_hash, entry_month_sql
from audit.services.head_signers import signal_head

SEAL_LOCK = 7_341_002
_XID_MASK = 0xFFFFFFFF


def seal_horizon(cursor) -> int:
    """The lowest txid that may still commit: the oldest running transaction id plus the base.

    The snapshot is read first and the running transactions of this database afterwards: a
    transaction missing from the second read has ended, so leaving it out is safe. Transactions
    of other databases on the same server never write here and are ignored, unless this role may
    not see them, in which case the server-wide horizon is used (correct, only later).
    """
    # The base first (after a restore into a new cluster this moves it above the chain, once).
    cursor.execute("SELECT audit_txid_base()")
    base = cursor.fetchone()[0]
    return base + _oldest_running(cursor)


def _oldest_running(cursor) -> int:
    cursor.execute("SELECT pg_current_snapshot()::text")
    xmin, xmax, xip = cursor.fetchone()[0].split(":")
    running = [int(x) for x in xip.split(",") if x]
    if not running:
        return int(xmax)
    cursor.execute("SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')")
    if not cursor.fetchone()[0]:
        return int(xmin)
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT backend_xid::text FROM pg_stat_activity "
        "WHERE datname = current_database() AND backend_xid IS NOT NULL "
        "UNION ALL SELECT transaction::text FROM pg_prepared_xacts WHERE database = current_database()"
    )
    here = {int(x) for (x,) in cursor.fetchall()}
    ours = [x for x in running if (x & _XID_MASK) in here]
    return min(ours) if ours else int(xmax)


def _select_entries(cursor, where: str, params: list, limit: int | None = None) -> list[tuple]:
    sql = (
        f"SELECT id, txid, {entry_month_sql()}, {ENTRY_DIGEST_SQL} FROM audit_auditentry "
        f"WHERE {where} ORDER BY txid, id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor.execute(sql, [settings.TIME_ZONE, *params])
    return [(row[0], row[1], row[2], bytes(row[3])) for row in cursor.fetchall()]


def _seal_once(batch: int) -> list[AuditBlock]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK])
        if not cursor.fetchone()[0]:
            return []  # another seal run is at work
        horizon = seal_horizon(cursor)
        last = AuditBlock.objects.order_by("-number").only("number", "txid_hi", "block_hash").first()
        lo = last.txid_hi if last else 0
        if horizon <= lo:
            return []
        rows = _select_entries(cursor, "txid >= %s AND txid < %s", [lo, horizon], limit=batch + 1)
        hi = horizon
        if len(rows) > batch:
            first_left_out = rows[batch][1]
            if first_left_out == rows[0][1]:
                # One transaction wrote more than a batch: seal all of it, never split it.
                rows = _select_entries(cursor, "txid = %s", [first_left_out])
                hi = first_left_out + 1
            else:
                rows = [r for r in rows if r[1] < first_left_out]
                hi = first_left_out
        if not rows:
            return []  # nothing final yet; the next run starts from the same point
        by_month: OrderedDict[dt.date, list[tuple]] = OrderedDict()
        for row in rows:
            by_month.setdefault(row[2], []).append(row)
        number = last.number if last else 0
        prev_hash = last.block_hash if last else GENESIS_HASH
        now = timezone.now()
        blocks = []
        for month in sorted(by_month):
            month_rows = by_month[month]
            number += 1
            ids = [r[0] for r in month_rows]
            digests = b"".join(r[3] for r in month_rows)
            this_hash = block_hash(
                prev_hash=prev_hash, number=number, month=month, txid_lo=lo, txid_hi=hi, entry_ids=ids, digests=digests
            )
            blocks.append(
                AuditBlock(
                    number=number,
                    month=month,
                    txid_lo=lo,
                    txid_hi=hi,
                    entry_count=len(ids),
                    first_id=min(ids),
                    last_id=max(ids),
                    entry_ids=ids,
                    entry_digests=digests,
                    prev_hash=prev_hash,
                    block_hash=this_hash,
                    sealed_at=now,
                )
            )
            prev_hash = this_hash
        AuditBlock.objects.bulk_create(blocks)
        signal_head(number=blocks[-1].number, block_hash=blocks[-1].block_hash)
        return blocks


def seal(*, batch: int | None = None, max_runs: int = 50) -> list[AuditBlock]:
    """Seal every final entry into hash-chained blocks; returns the new blocks.

    Seed 004 (integrity checks, non-repudiation), Lhasa art. 41: once sealed, an entry that is
    altered, removed or slipped in is found by verify_audit. Safe to run twice at once (advisory
    lock: the second run returns at once) and idempotent.
    """
    batch = batch or settings.AUDIT_SEAL_BATCH
    sealed: list[AuditBlock] = []
    for _ in range(max_runs):
        blocks = _seal_once(batch)
        if not blocks:
            break
        sealed.extend(blocks)
    return sealed


def chain_head() -> AuditBlock | None:
    return AuditBlock.objects.order_by("-number").defer("entry_ids", "entry_digests").first()
