"""B8: mixed load, 50 simulated users for 60 s against gunicorn (locust, headless).

Users (bench/locustfile.py): four in five are department staff (catalog list, search, entry page,
the sharing application form and its submission, the grant query API with their token, the inbox),
one in five a public visitor (open data list and search, dataset page, CSV download of a 10,000-row
dataset). Servers as in production: gunicorn (2 gthread workers x 8 threads) and a Celery worker
(--concurrency 2) for the notification e-mails the applications queue.

Data: the catalog of B2 when it ran in this run (else 5,000 entries made the same way), the shared
resource and grants of B3 (bench/sharing_data.py), a 10,000-row open dataset published as in B1.
Clients send "Connection: close" (one connection per request): python-requests does not retry a
request that meets a keep-alive connection gunicorn has just closed (after its 2 s keep-alive), as
browsers do, so keep-alive would count that race as an error of the portal.
Target: 0 errors; p95 per page reported.
"""

from __future__ import annotations

import csv
import subprocess
import sys

from bench.common import (
    QUEUE,
    WORK,
    Result,
    Web,
    api_token,
    say,
    session_cookie,
    start_child,
    stop_child,
    write_json,
)

TITLE = "mixed load, 50 users, 60 s (locust): browse, search, apply, query, download"
USERS, SECONDS = 50, 60


def run(ctx) -> Result:
    from django.db import connection

    from bench import sharing_data
    from bench.scenarios import b1, b2
    from bench.scenarios.b3 import DISTRICTS
    from catalog.models import EntryVersion

    fx = ctx.fixtures
    shared = sharing_data.get(ctx)
    if not EntryVersion.objects.filter(entry__code__startswith="BENCH").exists():
        departments = [d for d in fx.departments.values() if d.level == "department"]
        b2.build(ctx.scale(5_000, 1_000), departments, fx.users["officer"].pk)
        b2.analyze()
    dataset = b1.publish(ctx.scale(10_000, 2_000), fx.users["officer"], fx.users["reviewer"])
    open_entries = list(
        EntryVersion.objects.filter(
            entry__code__startswith="BENCH", status="published", share_type="unconditional"
        ).values_list("entry_id", "entry__department_id")[:20_000]
    )
    staff = [u for u in fx.staff if u.department_id in shared.grants][:USERS]
    tokens = {}
    people = []
    for index, user in enumerate(staff):
        if user.department_id not in tokens:
            tokens[user.department_id] = api_token(user)
        others = [e for e, d in open_entries if d != user.department_id]
        people.append(
            {
                "cookie": session_cookie(user),
                "token": tokens[user.department_id],
                "grant": shared.grants[user.department_id].pk,
                "apply_entries": others[index * 40 : (index + 1) * 40],
            }
        )
    data_file = WORK / "locust-data.json"
    write_json(
        data_file,
        {
            "staff": people,
            "entries": [e for e, _d in open_entries[:5000]],
            "districts": DISTRICTS,
            "words": ["营业执照", "人口", "社会保险", "不动产登记", "行政处罚", "养老服务", "驾驶证", "食品经营"],
            "open_words": ["企业", "登记", "拉萨"],
            "dataset": dataset.pk,
            "download_min_bytes": 100_000,
        },
    )
    connection.close()

    prefix = WORK / "b8"
    for old in WORK.glob("b8_*.csv"):
        old.unlink()
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
            "2",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "bench-b8@%h",
        ],
        ctx.env,
        WORK / "logs" / "worker-b8.log",
    )
    try:
        with Web(ctx.env, name="web-b8") as web:
            seconds = ctx.scale(SECONDS, 15)
            cmd = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(WORK.parent.parent / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                "10",
                "-t",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{web.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ]
            say(f"B8: locust, {USERS} users, {seconds} s")
            env = dict(ctx.env, BENCH_LOCUST_DATA=str(data_file))
            with open(WORK / "logs" / "locust.log", "wb") as log:
                proc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120)
            if proc.returncode != 0:
                raise RuntimeError(f"locust exited {proc.returncode}; see {WORK / 'logs' / 'locust.log'}")
    finally:
        stop_child(worker)

    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    requests = int(total["Request Count"])
    lines = [
        f"{r['Type']:<4} {r['Name']:<24} {int(r['Request Count']):>6} requests {int(r['Failure Count']):>4} errors  "
        f"p50 {r['50%']:>6} ms  p95 {r['95%']:>6} ms  max {float(r['Max Response Time']):>8.0f} ms"
        for r in sorted(pages, key=lambda r: r["Name"])
    ]
    for line in lines:
        say("B8 " + line)
    failure_rows = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))
    worst = max(pages, key=lambda r: float(r["95%"]))
    res = Result(
        "B8",
        TITLE,
        figure=f"{requests:,} requests ({float(total['Requests/s']):.1f}/s), {failures} errors, p95 all pages "
        f"{total['95%']} ms, slowest p95 '{worst['Name']}' {worst['95%']} ms",
        baseline="none",
        ratio="-",
        target="0 errors; p95 per page reported",
        met=failures == 0 and requests > 0,
    )
    res.details = [f"{USERS} users for {ctx.scale(SECONDS, 15)} s; p95 per page:", *lines]
    res.details += [f"failure: {f['Method']} {f['Name']}: {f['Error'][:200]} x{f['Occurrences']}" for f in failure_rows]
    return res
