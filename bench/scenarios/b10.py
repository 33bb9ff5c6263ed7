"""B10: encryption at rest. A datastore load of B7's people CSV with two items stored encrypted
(身份证号 and 手机号码: SM4-GCM ciphertext and an HMAC-SM3 blind index each, protection.encryption)
against COPY ... FROM STDIN of the same file into the same plain column types (B7's baseline);
target >= 0.15 x. Then `rotate_keys --reencrypt` of the loaded table (every value decrypted and
encrypted again under a new data key, batches of 5,000 rows): rows/s reported, no target.
"""

from __future__ import annotations

import dataclasses

from bench.common import WORK, Result, Timer, say
from bench.people import columns, make_csv

TITLE = "datastore load with two encrypted items; key rotation re-encrypting"
ENCRYPTED = {"id_number", "phone"}


def run(ctx) -> Result:
    from django.db import connection, transaction
    from psycopg2 import sql

    from catalog.datastore import drop_table, load_file, query_rows
    from catalog.datastore.columns import SCHEMA
    from catalog.datastore.tables import create_statement
    from protection.encryption import keys, rotation

    rows = ctx.scale(1_000_000, 20_000)
    path = WORK / "b10.csv"
    WORK.mkdir(parents=True, exist_ok=True)
    size = make_csv(path, rows)
    plain = columns()
    sealed = [dataclasses.replace(c, encrypted=c.key in ENCRYPTED) for c in plain]
    say(f"B10: {rows:,}-row CSV ({size / 2**20:.0f} MiB), algorithm {keys.algorithm()}")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    times_copy = []
    for _attempt in range(2):
        with Timer() as t_copy, transaction.atomic(), connection.cursor() as cursor, open(path, encoding="utf-8") as f:
            cursor.execute(create_statement("bench_b10_copy", plain).as_string(cursor.cursor))
            names = sql.SQL(", ").join(sql.Identifier(c.key) for c in plain)
            cursor.copy_expert(
                sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)")
                .format(sql.Identifier(SCHEMA), sql.Identifier("bench_b10_copy"), names)
                .as_string(cursor.cursor),
                f,
                1024 * 1024,
            )
            cursor.execute(f"ANALYZE {SCHEMA}.bench_b10_copy")
        times_copy.append(t_copy.seconds)
        drop_table("bench_b10_copy")
    drop_table("bench_b10_load")
    with Timer() as t_load, transaction.atomic():
        result = load_file(path, filename="b10.csv", columns=sealed, table="bench_b10_load")
    if not result.ok:
        raise RuntimeError(f"load_file refused the file: {result.errors[:3]}")
    path.unlink()
    # a look-up through the blind index, as a grant query with an ID number filter makes it
    first = query_rows("bench_b10_load", sealed, page_size=1)[0][0]
    with Timer() as t_find:
        found = query_rows("bench_b10_load", sealed, filters={"id_number": first["id_number"]})[1]
    with Timer() as t_rotate:
        job = rotation.reencrypt_table("bench_b10_load", batch=5000)
    drop_table("bench_b10_load")
    copy_s, load_s = min(times_copy), t_load.seconds
    ratio = copy_s / load_s
    say(
        f"B10: COPY {copy_s:.1f} s, encrypted load {load_s:.1f} s, rotation {t_rotate.seconds:.1f} s "
        f"({job.rows_done / t_rotate.seconds:,.0f} rows/s re-encrypted)"
    )
    res = Result(
        "B10",
        TITLE,
        figure=f"load_file (2 items encrypted) {rows / load_s:,.0f} rows/s ({load_s:.1f} s)",
        baseline=f"COPY FROM {rows / copy_s:,.0f} rows/s ({copy_s:.1f} s)",
        ratio=f"{ratio:.2f}x",
        target=">= 0.15x",
        met=ratio >= 0.15 and result.row_count == rows and found >= 1 and job.rows_done == rows,
    )
    res.details = [
        f"{rows:,} rows, {size / 2**20:.0f} MiB; encrypted: {', '.join(sorted(ENCRYPTED))} ({keys.algorithm()}, "
        f"blind index beside each); COPY runs {', '.join(f'{x:.1f} s' for x in times_copy)} (the best counts)",
        f"equality filter on the encrypted ID number through its blind index: {t_find.seconds * 1000:.0f} ms "
        f"({found} row)",
        f"rotate_keys --reencrypt: {job.rows_done:,} rows in {t_rotate.seconds:.1f} s = "
        f"{job.rows_done / t_rotate.seconds:,.0f} rows/s (2 values a row)",
    ]
    return res
