"""B3: the grant query API (查阅, 50 rows a page, filtered) with token auth and audit on; and B4,
the audit overhead on it.

Data (bench/sharing_data.py): one unconditional resource with 200,000 loaded rows (8 items, three
of them sensitive, so masked in the answer), granted 查阅 to seven departments through the app's
services. Each client is a department staff user with an API token of that department.

Measured: GET /api/sharing/grants/<pk>/query/?district=<one of 8>&page=<1..20>&page_size=50
(Authorization: Token), 8 clients. Baseline: GET /bench/bare/<table>/?columns=...&district=...&page=
(bench/urls.py: a plain Django view, the same 8 columns of the same table, the same filter and page,
as JSON; no DRF, no token, no permission check, no masking, no count, no audit), 8 clients.
B4: the same API on a second gunicorn with AUDIT_ENABLED=false; the two servers are measured in
turns (on, off, on, off) and the medians compared.
Targets: B3 >= 0.5 x the bare view; B4 (audit on / audit off) >= 0.9.
"""

from __future__ import annotations

import json
import statistics

from bench.common import Result, Web, api_token, http_load, ms, say

TITLE = "grant query API (查阅, 50 rows/page, filtered), token, audit on"
DISTRICTS = ["东城区", "西山县", "城关区", "堆龙德庆区", "达孜区", "林周县", "当雄县", "尼木县"]
CLIENTS = 8


def grant_requests(shared, tokens):
    grants = list(shared.grants.values())
    columns = ",".join(c["key"] for c in shared.load.columns)

    def api(client, n):
        grant, token = grants[client % len(grants)], tokens[client % len(grants)]
        district = DISTRICTS[(client + n) % len(DISTRICTS)]
        page = 1 + (n * 7 + client) % 20
        return (
            "GET",
            f"/api/sharing/grants/{grant.pk}/query/?district={district}&page={page}&page_size=50",
            {"Authorization": f"Token {token}", "Accept": "application/json"},
            None,
        )

    def bare(client, n):
        district = DISTRICTS[(client + n) % len(DISTRICTS)]
        page = 1 + (n * 7 + client) % 20
        return (
            "GET",
            f"/bench/bare/{shared.load.table_name}/?columns={columns}&district={district}&page={page}",
            {"Accept": "application/json"},
            None,
        )

    return api, bare


def rows_ok(status, body):
    try:
        return len(json.loads(body)["rows"]) == 50
    except (ValueError, KeyError):
        return False


def measure(ctx) -> dict:
    from urllib.parse import quote

    from bench import sharing_data

    shared = sharing_data.get(ctx)
    holders = {}
    for user in ctx.fixtures.staff:
        if user.department_id in shared.grants and user.department_id not in holders:
            holders[user.department_id] = user
    tokens = [api_token(holders[dept]) for dept in shared.grants]
    api, bare = grant_requests(shared, tokens)

    def quoted(fn):
        def wrap(c, n):
            method, path, headers, body = fn(c, n)
            return method, quote(path, safe="/?=&,:"), headers, body

        return wrap

    api, bare = quoted(api), quoted(bare)
    seconds = ctx.scale(12, 4)
    runs = {"bare": [], "on": [], "off": []}
    with Web(ctx.env, name="web-b3") as on, Web(ctx.env, name="web-b4", extra_env={"AUDIT_ENABLED": "false"}) as off:
        for round_ in range(2):
            runs["bare"].append(http_load(on.port, bare, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok))
            runs["on"].append(http_load(on.port, api, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok))
            runs["off"].append(http_load(off.port, api, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok))
            for name in runs:
                say(f"B3/B4 round {round_ + 1} {name}: {runs[name][-1].summary()}")
    return {"shared": shared, "runs": runs}


def _median_rps(stats):
    return statistics.median(s.rps for s in stats)


def explain(ctx, shared) -> list[str]:
    """The statements one query call runs (in-process, as the API view calls the service) and the
    EXPLAIN ANALYZE of those on the data table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sharing.services import use

    department, grant = next(iter(shared.grants.items()))
    user = next(u for u in ctx.fixtures.staff if u.department_id == department)
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        use.grant_query(
            actor=user, grant=grant, filters={"district": DISTRICTS[2]}, page=20, page_size=50, channel="api"
        )
    lines = [
        f"one grant_query call (the service alone, without the request's token, permission and "
        f"middleware statements) ran {len(captured.captured_queries)} statements"
    ]
    lines += [f"  {n}. {' '.join(q['sql'].split())[:110]}" for n, q in enumerate(captured.captured_queries, 1)]
    with connection.cursor() as cursor:
        for q in captured.captured_queries:
            if '"datastore"' in q["sql"]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                lines += [f"EXPLAIN ANALYZE {q['sql'][:160]}", *[r[0] for r in cursor.fetchall()]]
    connection.close()
    return lines


def run(ctx) -> Result:
    data = measure(ctx)
    ctx.b3 = data
    runs = data["runs"]
    on, bare = _median_rps(runs["on"]), _median_rps(runs["bare"])
    errors = sum(s.errors for s in runs["on"])
    ratio = on / bare if bare else 0
    p95 = statistics.median(s.p(95) for s in runs["on"])
    result = Result(
        "B3",
        TITLE,
        figure=f"{on:.1f} req/s, p95 {ms(p95)} ({errors} errors)",
        baseline=f"bare Django JSON view {bare:.1f} req/s",
        ratio=f"{ratio:.2f}x",
        target=">= 0.5x",
        met=ratio >= 0.5 and errors == 0,
    )
    result.details = [
        f"{data['shared'].rows:,} rows in datastore.{data['shared'].load.table_name}, "
        f"{len(data['shared'].grants)} grants; {CLIENTS} clients; two rounds, medians",
        *[f"API, audit on: {s.summary()}" for s in runs["on"]],
        *[f"bare view: {s.summary()}" for s in runs["bare"]],
    ]
    for s in runs["on"] + runs["bare"]:
        result.details += s.error_samples
    result.details += explain(ctx, data["shared"])
    return result


TITLE_B4 = "audit overhead on B3 (AUDIT_ENABLED=false as baseline)"


def run_b4(ctx) -> Result:
    data = getattr(ctx, "b3", None) or measure(ctx)
    runs = data["runs"]
    on, off = _median_rps(runs["on"]), _median_rps(runs["off"])
    errors = sum(s.errors for s in runs["off"])
    ratio = on / off if off else 0
    result = Result(
        "B4",
        TITLE_B4,
        figure=f"audit on {on:.1f} req/s",
        baseline=f"audit off {off:.1f} req/s",
        ratio=f"{ratio:.2f}x",
        target=">= 0.9x",
        met=ratio >= 0.9 and errors == 0,
    )
    result.details = [*[f"API, audit off: {s.summary()}" for s in runs["off"]]]
    return result
