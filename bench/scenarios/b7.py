"""B7: loading a 1,000,000-row CSV (8 typical columns) into the datastore with validation.

The file: UTF-8 CSV with a header of the data items' names; columns 身份证号 (valid check digits),
姓名, 性别, 出生日期, 手机号码, 所属区县, 登记时间, 补贴金额 (id_number, string, string, date, phone,
string, datetime, decimal). Measured: catalog.datastore.load_file (every cell checked and
normalised, then CREATE TABLE + COPY + ANALYZE), committed. Baseline: COPY ... FROM STDIN (FORMAT
csv, HEADER) of the same file into a table of the same column types, without any check (and the
same ANALYZE). Target: load_file throughput >= 0.2 x the COPY throughput.
"""

from __future__ import annotations

from bench.common import WORK, Result, Timer, say
from bench.people import columns, make_csv

TITLE = "datastore load of a 1M-row CSV with validation"


def profile_split(path, cols, rows: int) -> dict:
    """Shares of load_file's time: checking cells (validate.normalise), the rest of reading, COPY."""
    import itertools

    from django.db import transaction
    from pyinstrument import Profiler

    from catalog.datastore import drop_table, load_file

    part = WORK / "b7-part.csv"
    with open(path, encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, rows + 1))
    profiler = Profiler(interval=0.001)
    profiler.start()
    with transaction.atomic():
        load_file(part, filename="part.csv", columns=cols, table="bench_b7_part")
    profiler.stop()
    drop_table("bench_b7_part")
    part.unlink()
    totals = {"normalise": 0.0, "_read": 0.0, "_create_and_copy": 0.0}

    def walk(frame, inside=frozenset()):
        name = frame.function
        if name in totals and name not in inside:
            totals[name] += frame.time
            inside = inside | {name}
        for child in frame.children:
            walk(child, inside)

    root = profiler.last_session.root_frame()
    walk(root)
    whole = root.time or 1
    return {
        "rows": rows,
        "checking cells (validate.normalise)": totals["normalise"] / whole,
        "reading, splitting and writing the staging file": (totals["_read"] - totals["normalise"]) / whole,
        "CREATE TABLE + COPY + ANALYZE": totals["_create_and_copy"] / whole,
    }


def run(ctx) -> Result:
    from django.db import connection, transaction
    from psycopg2 import sql

    from catalog.datastore import drop_table, load_file
    from catalog.datastore.columns import SCHEMA
    from catalog.datastore.tables import create_statement

    rows = ctx.scale(1_000_000, 50_000)
    path = WORK / "b7.csv"
    with Timer() as t:
        size = make_csv(path, rows)
    say(f"B7: {rows:,}-row CSV ({size / 2**20:.0f} MiB) made in {t.seconds:.0f} s")
    cols = columns()

    # baseline: COPY FROM of the same file into the same column types, no checks
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    times_copy, times_load, result = [], [], None
    for attempt in range(2):
        with Timer() as t_copy, transaction.atomic(), connection.cursor() as cursor, open(path, encoding="utf-8") as f:
            cursor.execute(create_statement("bench_b7_copy", cols).as_string(cursor.cursor))
            names = sql.SQL(", ").join(sql.Identifier(c.key) for c in cols)
            cursor.copy_expert(
                sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)")
                .format(sql.Identifier(SCHEMA), sql.Identifier("bench_b7_copy"), names)
                .as_string(cursor.cursor),
                f,
                1024 * 1024,
            )
            cursor.execute(f"ANALYZE {SCHEMA}.bench_b7_copy")
        times_copy.append(t_copy.seconds)
        drop_table("bench_b7_copy")
        if attempt == 1:
            continue  # COPY is timed twice (it is short and the machine noisy), load_file once
        with Timer() as t_load, transaction.atomic():
            result = load_file(path, filename="b7.csv", columns=cols, table="bench_b7_load")
        times_load.append(t_load.seconds)
        if not result.ok:
            raise RuntimeError(f"load_file refused the file: {result.errors[:3]}")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {SCHEMA}.bench_b7_load")
            loaded = cursor.fetchone()[0]
        drop_table("bench_b7_load")
        say(f"B7: COPY {t_copy.seconds:.1f} s, load_file {t_load.seconds:.1f} s ({loaded:,} rows)")
    split = profile_split(path, cols, ctx.scale(100_000, 10_000))
    copy_s, load_s = min(times_copy), min(times_load)
    ratio = copy_s / load_s
    path.unlink()
    res = Result(
        "B7",
        TITLE,
        figure=f"load_file {rows / load_s:,.0f} rows/s ({load_s:.1f} s)",
        baseline=f"COPY FROM {rows / copy_s:,.0f} rows/s ({copy_s:.1f} s)",
        ratio=f"{ratio:.2f}x",
        target=">= 0.2x",
        met=ratio >= 0.2 and result.ok and loaded == rows,
    )
    res.details = [
        f"{rows:,} rows, {size / 2**20:.0f} MiB, 8 columns ({', '.join(c.type for c in cols)})",
        f"COPY FROM runs: {', '.join(f'{x:.1f} s' for x in times_copy)}; "
        f"load_file: {times_load[0]:.1f} s (the best COPY counts)",
        f"where load_file spends its time (pyinstrument, first {split['rows']:,} rows of the file): "
        + ", ".join(f"{k} {v:.0%}" for k, v in split.items() if k != "rows"),
    ]
    return res
