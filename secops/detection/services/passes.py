"""The pass over the audit stream (issue 16 part 2): read the entries after the cursor, run the
switched-on rules over them, open or extend alerts, move the cursor. Idempotent and safe to run
twice at once: the cursor row is locked with SKIP LOCKED (a second pass finds it taken and does
nothing) and an entry is evidence of a rule once (AlertEvidence). Its cost follows the new entries:
an index range scan after (occurred_at, id), plus the late-committing entries of the overlap
(audit.stream), never a scan of the table (docs/conventions.md, pitfalls: sweeps from beat)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit import stream
from secops.detection import conf
from secops.detection.models import Cursor, DetectionRule
from secops.detection.rules import evaluators
from secops.detection.services.alerts import fire
from secops.detection.services.rules import ensure_rules

logger = logging.getLogger(__name__)


@dataclass
class PassResult:
    entries: int = 0
    alerts: int = 0
    batches: int = 0
    skipped: bool = False


def _batch(limit: int, result: PassResult) -> bool:
    """One batch in one transaction; True when there may be more to read."""
    with transaction.atomic():
        cursor = Cursor.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if cursor is None:
            result.skipped = True  # another pass holds the cursor: it reads the same entries
            return False
        horizon = stream.horizon()  # before reading: what commits later is found by late()
        if cursor.occurred_at is None:
            start = timezone.now() - dt.timedelta(seconds=conf.setting("START_BACK_SECONDS"))
            cursor.occurred_at, cursor.entry_id, cursor.horizon = start, 0, horizon
        fresh = stream.after(at=cursor.occurred_at, pk=cursor.entry_id, limit=limit)
        late = stream.late(
            since=cursor.occurred_at - dt.timedelta(seconds=conf.setting("OVERLAP_SECONDS")),
            at=cursor.occurred_at,
            pk=cursor.entry_id,
            txid_from=cursor.horizon,
        )
        entries = list({e.pk: e for e in late + fresh}.values())
        entries.sort(key=lambda e: (e.occurred_at, e.pk))
        ctx: dict = {}
        run = evaluators()
        for rule in DetectionRule.objects.filter(enabled=True).order_by("id"):
            for firing in run[rule.code](rule, entries, ctx):
                if fire(rule=rule, firing=firing) is not None:
                    result.alerts += 1
        if fresh:
            cursor.occurred_at, cursor.entry_id = fresh[-1].occurred_at, fresh[-1].pk
        cursor.horizon = horizon
        cursor.entries_read += len(entries)
        cursor.passes += 1
        cursor.updated_at = timezone.now()
        cursor.save()
        result.entries += len(entries)
        result.batches += 1
        return len(fresh) == limit


def run_pass(*, batch: int | None = None, max_batches: int | None = None) -> PassResult:
    """Tongren art. 35 安全监测: run the rules over what the audit log recorded since the last pass."""
    ensure_rules()
    Cursor.objects.bulk_create([Cursor(pk=1)], ignore_conflicts=True)
    limit = batch or conf.setting("BATCH")
    result = PassResult()
    for _ in range(max_batches or conf.setting("MAX_BATCHES")):
        if not _batch(limit, result):
            break
    if result.alerts:
        logger.info("detection pass: %s entries, %s alerts", result.entries, result.alerts)
    return result
