"""B5: the deadline sweep with 100,000 open applications, 1,000 of them overdue; 10k vs 100k open.

Data: one conditional resource (made through the catalog's services); open applications for it
from the bench staff of eight departments, each with its review deadline, inserted by
INSERT ... SELECT generate_series (applications and deadlines in one statement). 1,000 of them
were received eight days ago and are past their due time (reminder, overdue warning and escalation
all due); the others were received today (nothing due).

Measured: sharing.tasks.sweep_deadlines run by a Celery worker (queue "bench"), from
apply_async to the result: first with 10,000 open applications, then after adding 90,000 more
open ones and 1,000 new overdue ones (the first 1,000 were handled by the first sweep).
Baseline: one SELECT of the overdue ids (the sweep's own filter) at 100k open.
Targets: one sweep <= 5 s; its cost follows the overdue count, not the open count (100k / 10k
close to 1; counted as met up to 1.5).
"""

from __future__ import annotations

import sys
import time

from bench.common import QUEUE, WORK, Result, Timer, say, start_child, stop_child

TITLE = "deadline sweep, 1,000 overdue among 10k and 100k open applications"


def conditional_entry(fixtures):
    from catalog.services import entries

    officer = fixtures.users["officer_rsj"]
    reviewer = fixtures.users["reviewer"]
    items = [
        {
            "key": "id_number",
            "name": "身份证号",
            "type": "id_number",
            "length": 18,
            "required": True,
            "sensitive": True,
            "description": "",
        },
        {
            "key": "status",
            "name": "参保状态",
            "type": "string",
            "length": 10,
            "required": False,
            "sensitive": False,
            "description": "",
        },
    ]
    content = {
        "name": "社会保险参保信息（压测）",
        "summary": "参保登记和缴费状态。",
        "category": "theme",
        "base_kind": "",
        "theme": "社会保障",
        "share_type": "conditional",
        "share_condition": "仅用于待遇核定。",
        "share_modes": ["query", "compare"],
        "open_type": "not_open",
        "open_condition": "涉及个人信息",
        "legal_basis": "《中华人民共和国社会保险法》第八十一条",
        "update_frequency": "monthly",
        "data_format": "database",
        "share_method": "api",
    }
    entry = entries.entry_create(actor=officer, department=officer.department, content=content, items=items)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry, comment="bench")
    return entry.__class__.objects.select_related("published_version").get(pk=entry.pk)


def insert_open(entry, staff, *, open_count: int, overdue: int) -> None:
    """open_count applications with deadlines, the first `overdue` of them past due."""
    from django.db import connection, transaction

    applicants = [u for u in staff if u.department_id != entry.department_id]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            WITH apps AS (
                INSERT INTO sharing_application (share_type, purpose, scenario_text, items, mode, end_date,
                    unmask_requested, review_by, status, submitted_at, decision_note, auto_granted, applicant_id,
                    applicant_department_id, entry_id, entry_version_id, provider_department_id)
                SELECT 'conditional', '待遇核定（压测）', '核定养老保险待遇', ARRAY['id_number', 'status'], 'query',
                       current_date + 300, '{}', 'provider', 'submitted',
                       CASE WHEN g <= %(overdue)s THEN now() - interval '8 days' ELSE now() END, '', false,
                       (%(users)s::bigint[])[1 + g %% %(nu)s], (%(depts)s::bigint[])[1 + g %% %(nu)s],
                       %(entry)s, %(version)s, %(provider)s
                FROM generate_series(1, %(n)s) AS g
                RETURNING id, submitted_at
            )
            INSERT INTO sharing_deadline (kind, by_bureau, escalates, received_at, remind_at, due_at, overdue,
                                          application_id, department_id)
            SELECT 'review', false, true, submitted_at,
                   CASE WHEN submitted_at < now() - interval '1 day' THEN now() - interval '3 days'
                        ELSE now() + interval '4 days' END,
                   CASE WHEN submitted_at < now() - interval '1 day' THEN now() - interval '1 day'
                        ELSE now() + interval '7 days' END,
                   false, id, %(provider)s
            FROM apps
            """,
            {
                "overdue": overdue,
                "n": open_count,
                "users": [u.pk for u in applicants],
                "depts": [u.department_id for u in applicants],
                "nu": len(applicants),
                "entry": entry.pk,
                "version": entry.published_version_id,
                "provider": entry.department_id,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sharing_application")
        cursor.execute("ANALYZE sharing_deadline")


def overdue_select(now):
    """The sweep's own filter, as one SELECT of the ids: (sql, seconds)."""
    from django.db import connection

    from sharing.models import Deadline
    from sharing.services.deadlines import due_filter

    qs = Deadline.objects.filter(due_filter(now), closed_at__isnull=True).values_list("pk", flat=True)
    statement, params = qs.query.sql_with_params()
    best, count = None, 0
    with connection.cursor() as cursor:
        for _ in range(5):
            t0 = time.perf_counter()
            cursor.execute(statement, params)
            count = len(cursor.fetchall())
            elapsed = time.perf_counter() - t0
            best = elapsed if best is None else min(best, elapsed)
        cursor.execute("EXPLAIN ANALYZE " + statement, params)
        plan = [r[0] for r in cursor.fetchall()]
    return best, count, plan


def run(ctx) -> Result:
    from django.db import connection
    from django.utils import timezone

    from sharing.models import Deadline
    from sharing.tasks import sweep_deadlines

    fx = ctx.fixtures
    small, large, overdue = ctx.scale(10_000, 2_000), ctx.scale(100_000, 20_000), ctx.scale(1_000, 200)
    entry = conditional_entry(fx)
    worker = start_child(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            QUEUE,
            "-c",
            "1",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "bench@%h",
        ],
        ctx.env,
        WORK / "logs" / "worker-b5.log",
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            replies = sweep_deadlines.app.control.ping(timeout=1)
            if any(name.startswith("bench@") for reply in replies for name in reply):
                break
            if worker.poll() is not None:
                raise RuntimeError(f"the Celery worker exited; see {WORK / 'logs' / 'worker-b5.log'}")

        def drain():
            """The sweep queues its notification e-mails as Celery tasks on the same queue (the mail
            backend is a dummy here): drop them, so that each measured sweep starts at once."""
            return sweep_deadlines.app.control.purge()

        # warm-up: one overdue deadline (the worker imports the URLconf on its first reverse())
        insert_open(entry, fx.staff, open_count=1, overdue=1)
        sweep_deadlines.apply_async(queue=QUEUE).get(timeout=600)
        drains = [drain()]
        timings = {}
        counts = {}
        for open_count, label in ((small, "small"), (large - small, "large")):
            with Timer() as t:
                insert_open(entry, fx.staff, open_count=open_count, overdue=overdue)
            total_open = Deadline.objects.filter(closed_at__isnull=True).count()
            say(f"B5: {total_open:,} open deadlines ({overdue:,} due) made in {t.seconds:.1f} s")
            connection.close()
            with Timer() as t:
                counts[label] = sweep_deadlines.apply_async(queue=QUEUE).get(timeout=600)
            timings[label] = (t.seconds, total_open)
            drains.append(drain())
            say(f"B5: sweep with {total_open:,} open: {t.seconds:.2f} s, {counts[label]}")
        # the ids the sweep has just handled are no longer due: time the SELECT as the sweep met it,
        # with one more batch of overdue deadlines
        insert_open(entry, fx.staff, open_count=overdue, overdue=overdue)
        select_s, select_n, plan = overdue_select(timezone.now())
        # statements per overdue deadline: one more sweep, in-process, its statements counted and
        # the time spent in the audit log's record() (three entries per deadline) measured
        from sharing.services import deadlines as deadline_services

        statements, audit = 0, {"entries": 0, "seconds": 0.0}
        real_record = deadline_services.record

        def counter(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        def timed_record(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return real_record(*args, **kwargs)
            finally:
                audit["entries"] += 1
                audit["seconds"] += time.perf_counter() - t0

        from django.urls import reverse

        reverse("sharing:application", args=[1])  # the URLconf is imported before the clock starts
        deadline_services.record = timed_record
        try:
            with connection.execute_wrapper(counter), Timer() as in_process:
                deadline_services.sweep_deadlines()
        finally:
            deadline_services.record = real_record
        per_deadline = statements / overdue
        say(
            f"B5: in-process sweep of {overdue:,}: {in_process.seconds:.2f} s, {per_deadline:.1f} statements per "
            f"deadline, audit record() {audit['seconds']:.2f} s for {audit['entries']:,} entries"
        )
        connection.close()
    finally:
        stop_child(worker)
    small_s, small_open = timings["small"]
    large_s, large_open = timings["large"]
    growth = large_s / small_s if small_s else float("inf")
    handled = all(c.get("warned") == overdue and c.get("escalated") == overdue for c in counts.values())
    res = Result(
        "B5",
        TITLE,
        figure=f"sweep of {overdue:,} overdue: {large_s:.2f} s among {large_open:,} open, {small_s:.2f} s among "
        f"{small_open:,} open",
        baseline=f"SELECT of the {select_n:,} overdue ids {select_s * 1000:.1f} ms (among {large_open + overdue:,})",
        ratio=f"100k/10k {growth:.2f}x; sweep/SELECT {large_s / select_s:,.0f}x",
        target="one sweep <= 5 s; 100k/10k <= 1.5",
        met=handled and large_s <= 5 and growth <= 1.5,
    )
    res.details = [
        f"sweep results: {counts}",
        f"statements per overdue deadline (one more sweep of {overdue:,}, in-process, counted): {per_deadline:.1f}",
        f"that in-process sweep: {in_process.seconds:.2f} s, of which audit record() {audit['seconds']:.2f} s "
        f"({audit['entries']:,} entries, {audit['seconds'] / max(audit['entries'], 1) * 1000:.2f} ms each)",
        f"e-mail tasks the sweeps queued (purged, not counted): {', '.join(str(d) for d in drains[1:])}",
        "EXPLAIN ANALYZE of the overdue SELECT:",
        *plan,
    ]
    return res
