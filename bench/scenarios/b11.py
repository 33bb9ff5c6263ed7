"""B11: the detection pass (secops.detection, issue 16 part 2) over 1,000,000 new audit entries, with
1,000,000 and then 10,000,000 older entries in the table.

Data: entries inserted by INSERT ... SELECT generate_series into the partitioned table (the app's
trigger sets each one's txid). The old ones lie 16 to 25 days back (the previous month's partition
and this one's), behind the detection cursor and outside every rule's window; the new ones lie in
the last hours: sign-ins, catalog views and a few downloads of 2,000 users, each from their
own address, in working patterns that fire no rule (so the figure is the rules' reading, not the
alerts' writing).

Measured: secops.detection.services.passes.run_pass() in-process, all eight rules on, from a cursor
set just before the new entries: entries/s. Baseline: a plain scan of the same entries (the
stream's own ordered range read, every column fetched) in batches of the pass's size. Then the old
entries are multiplied tenfold and the pass runs again over a fresh set of as many new entries.
Targets: the pass reads >= 0.1 × the plain scan's entries/s; its cost follows the new entries
(10M old / 1M old <= 1.5).
"""

from __future__ import annotations

import datetime as dt

from bench.common import Result, Timer, fmt_rate, say

TITLE = "detection pass over 1M new audit entries; 1M vs 10M older entries"

_INSERT = """
INSERT INTO audit_auditentry (occurred_at, actor_id, actor_username, actor_name, department_id,
    department_name, role, action, object_type, object_id, object_repr, outcome, client_ip, request_id,
    detail, owner_department_id)
SELECT %(start)s::timestamptz + (g - 1) * ((%(end)s::timestamptz - %(start)s::timestamptz) / %(n)s),
       1000000 + g %% 2000, 'bench' || (g %% 2000), '', 1 + g %% 8, '部门', 'department_staff',
       CASE (g / 2000) %% 30 WHEN 0 THEN 'openness.download' WHEN 1 THEN 'auth.login'
            ELSE 'catalog.entry.view' END,
       'catalog.resourceentry', (g %% 1000)::text, '资源', 'success',
       '10.20.0.0'::inet + (g %% 2000), '', '{}'::jsonb, 1 + g %% 8
FROM generate_series(1, %(n)s) AS g
"""


def insert(n: int, start: dt.datetime, end: dt.datetime) -> None:
    from django.db import connection, transaction

    step = 500_000
    for first in range(0, n, step):
        count = min(step, n - first)
        a = start + (end - start) * first / n
        b = start + (end - start) * (first + count) / n
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_INSERT, {"start": a, "end": b, "n": count})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditentry")


def plain_scan(since: dt.datetime, batch: int) -> tuple[int, float]:
    from audit import stream

    total, at, pk = 0, since, 0
    with Timer() as t:
        while True:
            rows = stream.after(at=at, pk=pk, limit=batch)
            if not rows:
                break
            total += len(rows)
            at, pk = rows[-1].occurred_at, rows[-1].pk
    return total, t.seconds


def detection_pass(since: dt.datetime, batch: int) -> tuple[int, float, int]:
    from audit import stream
    from secops.detection.models import Cursor
    from secops.detection.services.passes import run_pass

    Cursor.objects.update_or_create(
        pk=1, defaults={"occurred_at": since, "entry_id": 0, "horizon": stream.horizon(), "updated_at": None}
    )
    with Timer() as t:
        result = run_pass(batch=batch, max_batches=10**9)
    return result.entries, t.seconds, result.alerts


def run(ctx) -> Result:
    from django.utils import timezone

    from audit.services.partitions import ensure_partitions

    ensure_partitions(months_back=1)
    new, old = ctx.scale(1_000_000, 20_000), ctx.scale(1_000_000, 20_000)
    batch = 2000
    now = timezone.now()
    old_from, old_to = now - dt.timedelta(days=25), now - dt.timedelta(days=16)
    rounds = {}
    # round 1's new entries lie 3 to 2 hours back, round 2's in the last hour: each pass and scan
    # starts just before its round's new entries and reads to the end of the stream
    for label, hours_back, existing in (("small", 3, old), ("large", 1, old * 9)):
        with Timer() as t:
            insert(existing, old_from, old_to)
            start = now - dt.timedelta(hours=hours_back)
            insert(new, start + dt.timedelta(seconds=1), start + dt.timedelta(minutes=59))
        old_total = old if label == "small" else old * 10
        say(f"B11: {existing:,} older and {new:,} new entries made in {t.seconds:.0f} s")
        read, seconds, alerts = detection_pass(start, batch)
        scanned, scan_seconds = plain_scan(start, batch)
        rounds[label] = (read, seconds, scanned, scan_seconds, alerts, old_total)
        say(
            f"B11 ({old_total:,} old): pass {read:,} in {seconds:.1f} s, {alerts} alerts; "
            f"scan {scanned:,} in {scan_seconds:.1f} s"
        )
    s_read, s_sec, s_scan, s_scan_sec, _a, s_old = rounds["small"]
    l_read, l_sec, l_scan, l_scan_sec, _b, l_old = rounds["large"]
    rate, scan_rate = l_read / l_sec, l_scan / l_scan_sec
    per_entry_small, per_entry_large = s_sec / max(1, s_read), l_sec / max(1, l_read)
    growth = per_entry_large / per_entry_small if per_entry_small else float("inf")
    return Result(
        "B11",
        TITLE,
        figure=f"pass {fmt_rate(rate, 'entries/s')} over {l_read:,} new ({l_old:,} old); "
        f"{fmt_rate(s_read / s_sec, 'entries/s')} with {s_old:,} old",
        baseline=f"plain scan of the same entries {fmt_rate(scan_rate, 'entries/s')}",
        ratio=f"pass/scan {rate / scan_rate:.2f}x; {l_old:,} old / {s_old:,} old {growth:.2f}x",
        target="pass/scan >= 0.1; growth <= 1.5",
        met=rate / scan_rate >= 0.1 and growth <= 1.5,
        details=[f"entries read by the pass: {s_read:,} and {l_read:,} (new: {new:,} each round, plus the overlap)"],
    )
