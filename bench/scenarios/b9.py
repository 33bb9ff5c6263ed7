"""B9: the grant query API (B3's requests) with encryption at rest and delivery receipts on, against
the same with both off (the performance target of encryption at rest, docs/features.md D2: >= 0.8 x).

Data: B3's shared resource (bench/sharing_data.py; its three sensitive items — ID number, name,
phone — stored encrypted, as every load is by default), and a second copy of it loaded with
ENCRYPTION["SENSITIVE_ITEMS"] off, granted to the same departments.
Measured, in turns on two gunicorns (two rounds, medians; 8 clients, token auth, audit on in both):
  on:       the encrypted copy, on the default server (receipts on: one SM3 of each body, one row);
  off:      the plain copy, on a server with SIGNATURES_RECEIPTS=false;
  receipts: the plain copy on the default server (receipts alone, for the breakdown).
The Merkle roots are not signed during the run (that is the beat job's, once a minute); after it,
seal_receipts() signs what the run left and its time is reported.
"""

from __future__ import annotations

import statistics
import time

from bench.common import Result, Web, api_token, http_load, say
from bench.scenarios.b3 import CLIENTS, grant_requests, rows_ok

TITLE = "grant query API with encryption and receipts on (both off as baseline)"


def _plain_copy(ctx):
    from django.conf import settings
    from django.test import override_settings

    from bench import sharing_data

    if getattr(ctx, "shared_plain", None) is None:
        with override_settings(ENCRYPTION={**settings.ENCRYPTION, "SENSITIVE_ITEMS": False}):
            ctx.shared_plain = sharing_data.build(ctx.fixtures, ctx.scale(200_000, 20_000))
    return ctx.shared_plain


def _encrypted_columns(load) -> list[str]:
    return [c["key"] for c in load.columns if c.get("encrypted")]


def _quoted(fn):
    from urllib.parse import quote

    def wrap(c, n):
        method, path, headers, body = fn(c, n)
        return method, quote(path, safe="/?=&,:"), headers, body

    return wrap


def run(ctx) -> Result:
    from bench import sharing_data
    from protection.signatures.models import Receipt
    from protection.signatures.services import roots

    encrypted = sharing_data.get(ctx)
    plain = _plain_copy(ctx)
    holders = {}
    for user in ctx.fixtures.staff:
        if user.department_id in encrypted.grants and user.department_id not in holders:
            holders[user.department_id] = user
    tokens = [api_token(holders[dept]) for dept in encrypted.grants]
    api_encrypted = _quoted(grant_requests(encrypted, tokens)[0])
    api_plain = _quoted(grant_requests(plain, tokens)[0])
    seconds = ctx.scale(12, 4)
    runs = {"on": [], "off": [], "receipts": []}
    receipts_before = Receipt.objects.count()
    with (
        Web(ctx.env, name="web-b9-on") as on,
        Web(ctx.env, name="web-b9-off", extra_env={"SIGNATURES_RECEIPTS": "false"}) as off,
    ):
        for round_ in range(2):
            runs["on"].append(
                http_load(on.port, api_encrypted, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok)
            )
            runs["off"].append(
                http_load(off.port, api_plain, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok)
            )
            runs["receipts"].append(
                http_load(on.port, api_plain, clients=CLIENTS, seconds=seconds, warmup=2, check=rows_ok)
            )
            for name in runs:
                say(f"B9 round {round_ + 1} {name}: {runs[name][-1].summary()}")
    written = Receipt.objects.count() - receipts_before
    t0 = time.monotonic()
    sealed = roots.seal_receipts()
    seal_seconds = time.monotonic() - t0

    def rps(name):
        return statistics.median(s.rps for s in runs[name])

    ratio = rps("on") / rps("off") if rps("off") else 0
    errors = sum(s.errors for name in runs for s in runs[name])
    result = Result(
        "B9",
        TITLE,
        figure=f"encryption + receipts {rps('on'):.1f} req/s ({errors} errors)",
        baseline=f"both off {rps('off'):.1f} req/s",
        ratio=f"{ratio:.2f}x",
        target=">= 0.8x",
        met=ratio >= 0.8 and errors == 0,
    )
    result.details = [
        f"{encrypted.rows:,} rows each; encrypted columns {_encrypted_columns(encrypted.load)} in "
        f"{encrypted.load.table_name}, none ({_encrypted_columns(plain.load)}) in {plain.load.table_name}; "
        f"{CLIENTS} clients, two rounds, medians",
        f"receipts alone (plain copy, receipts on): {rps('receipts'):.1f} req/s = "
        f"{rps('receipts') / rps('off') if rps('off') else 0:.2f}x of both off",
        f"{written:,} receipts written during the runs; seal_receipts() afterwards: {len(sealed)} signed "
        f"root(s) in {seal_seconds:.2f} s",
        *[f"{name}: {s.summary()}" for name in runs for s in runs[name]],
    ]
    for name in runs:
        for s in runs[name]:
            result.details += s.error_samples
    return result
