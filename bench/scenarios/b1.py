"""B1: download of a 1,000,000-row open dataset (8 typical columns) as CSV over HTTP.

Data: an uploaded-file dataset of enterprise registrations (统一社会信用代码 of enterprises, 企业名称,
法定代表人 masked to its first character, 注册资本, 成立日期, 所属区县, 行业, 登记状态). The upload's
table is filled by COPY (as openness.services.uploads.upload_create stores a file, without the
reading and checking that B7 measures); then the app's own services publish it:
openness.services.publishing.version_propose (masked table, personal-data scan) and version_approve
(无条件开放).

Measured: GET /open/datasets/<pk>/download/csv/ without signing in (public), read to the end, on
gunicorn (2 gthread workers); the RSS of the web workers is sampled every 20 ms (psutil) from
before the download to its end. Baseline: psql running the very COPY statement the download
runs (catalog.datastore.query.export_statement), output to /dev/null.
Targets: throughput >= 0.5 x the baseline; the web process grows < 100 MB.
"""

from __future__ import annotations

import csv
import http.client
import random
import subprocess
import threading
import time

from bench.common import WORK, Result, Timer, Web, say

TITLE = "open dataset CSV download, 1M rows x 8 columns"
HEADER = ["统一社会信用代码", "企业名称", "法定代表人", "注册资本（万元）", "成立日期", "所属区县", "行业", "登记状态"]


def make_csv(path, rows: int) -> None:
    from stdnum.cn import uscc

    rng = random.Random(11)
    words = "华信 通达 鑫源 恒泰 安康 天成 博远 瑞丰 金桥 新创 高原 雪域 拉萨 圣城 宏达 永盛".split()
    kinds = "科技 商贸 建筑工程 餐饮管理 文化传媒 农牧业开发 物流 旅游服务 医药 能源".split()
    districts = ["城关区", "堆龙德庆区", "达孜区", "林周县", "当雄县", "尼木县", "曲水县", "墨竹工卡县"]
    industries = [
        "批发和零售业",
        "住宿和餐饮业",
        "建筑业",
        "信息传输、软件和信息技术服务业",
        "农、林、牧、渔业",
        "制造业",
    ]
    surnames = "王李张刘陈杨黄赵吴周扎顿次格"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for i in range(rows):
            body = f"91540100{i:09d}"[:17]
            code = body + uscc.calc_check_digit(body)
            w.writerow(
                [
                    code,
                    f"拉萨{rng.choice(words)}{rng.choice(kinds)}有限公司{i % 1000}",
                    rng.choice(surnames) + "某某",
                    f"{rng.randrange(10, 100000)}.{rng.randrange(100):02d}",
                    f"{rng.randrange(1995, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                    rng.choice(districts),
                    rng.choice(industries),
                    "存续" if i % 9 else "注销",
                ]
            )


def publish(rows: int, officer, reviewer) -> object:
    """The dataset, published through the app's services; returns the Dataset."""
    from django.db import connection, transaction
    from psycopg2 import sql

    from catalog import datastore
    from catalog.datastore.columns import SCHEMA
    from catalog.datastore.tables import create_statement
    from openness.models import Upload
    from openness.services.publishing import version_approve, version_propose
    from openness.services.uploads import columns_from_header

    path = WORK / "b1-source.csv"
    make_csv(path, rows)
    columns = columns_from_header(HEADER)
    with transaction.atomic():
        upload = Upload.objects.create(
            department=officer.department,
            filename="enterprises.csv",
            created_by=officer,
            columns=[c.__dict__ for c in columns],
            table_name="",
            row_count=rows,
        )
        upload.table_name = f"ou_{upload.pk}"
        upload.save(update_fields=["table_name"])
        with connection.cursor() as cursor, open(path, encoding="utf-8") as f:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            cursor.execute(create_statement(upload.table_name, columns).as_string(cursor.cursor))
            names = sql.SQL(", ").join(sql.Identifier(c.key) for c in columns)
            cursor.copy_expert(
                sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv)")
                .format(sql.Identifier(SCHEMA), sql.Identifier(upload.table_name), names)
                .as_string(cursor.cursor),
                f,
                1024 * 1024,
            )
            cursor.execute(f"ANALYZE {SCHEMA}.{upload.table_name}")
    path.unlink()
    items = [{"key": c.key, "rule": "none"} for c in columns]
    items[2] = {"key": columns[2].key, "rule": "keep_first", "first": 1}  # 法定代表人: first character only
    version = version_propose(
        actor=officer,
        upload=upload,
        items=items,
        metadata={
            "title": "拉萨市企业登记信息",
            "summary": "全市企业登记的基本信息（法定代表人已脱敏）。",
            "theme": "市场监管",
            "update_frequency": "monthly",
            "open_type": "unconditional",
            "data_format": "spreadsheet",
        },
    )
    version = version_approve(actor=reviewer, version=version)
    datastore.row_count(version.table_name)
    return version.dataset


def run(ctx) -> Result:
    import psutil
    from django.db import connection

    from catalog.datastore.query import export_statement
    from catalog.datastore.sql import render

    rows = ctx.scale(1_000_000, 50_000)
    fx = ctx.fixtures
    officer = fx.users["officer"]
    reviewer = fx.users["reviewer"]
    with Timer() as t:
        dataset = publish(rows, officer, reviewer)
    version = dataset.published_version
    say(f"B1: dataset {dataset.pk} ({version.row_count:,} rows) published in {t.seconds:.0f} s")
    statement = render(export_statement(version.table_name, version.datastore_columns), connection)
    connection.close()

    # baseline: psql runs the same COPY to /dev/null (best of two)
    psql_times = []
    for _ in range(2):
        with Timer() as tp:
            proc = subprocess.run(
                [*ctx.services.psql_cmd(), "-c", statement], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed: {proc.stderr.decode()[:300]}")
        psql_times.append(tp.seconds)
    psql_s = min(psql_times)
    say(f"B1 baseline psql COPY: {', '.join(f'{x:.2f} s' for x in psql_times)}")

    path = f"/open/datasets/{dataset.pk}/download/csv/"
    with Web(ctx.env, name="web-b1") as web:
        workers = [psutil.Process(pid) for pid in web.worker_pids()]
        # warm-up: the first megabyte, then hang up (the app cancels its COPY)
        conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=120)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read(1024 * 1024)
        conn.close()
        time.sleep(1)
        before = {p.pid: p.memory_info().rss for p in workers}
        peak = dict(before)
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                for p in workers:
                    try:
                        peak[p.pid] = max(peak[p.pid], p.memory_info().rss)
                    except psutil.Error:
                        pass
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        http_times, sizes, statuses = [], [], []
        for _ in range(2):
            with Timer() as th:
                conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=300)
                conn.request("GET", path)
                resp = conn.getresponse()
                size = 0
                while True:
                    chunk = resp.read(256 * 1024)
                    if not chunk:
                        break
                    size += len(chunk)
                conn.close()
            http_times.append(th.seconds)
            sizes.append(size)
            statuses.append(resp.status)
        stop.set()
        sampler.join()
    growth = max(peak[pid] - before[pid] for pid in before) / 2**20
    http_s = min(http_times)
    say(
        f"B1 download: {', '.join(f'{x:.2f} s' for x in http_times)}, {sizes[0] / 2**20:.0f} MiB, "
        f"status {statuses}, worker RSS growth {growth:.1f} MiB"
    )
    ratio = psql_s / http_s
    ok = all(s == 200 for s in statuses) and sizes[0] > 0
    res = Result(
        "B1",
        TITLE,
        figure=f"{rows / http_s:,.0f} rows/s ({sizes[0] / 2**20 / http_s:.0f} MiB/s, {http_s:.2f} s); "
        f"web worker RSS +{growth:.1f} MB",
        baseline=f"psql COPY {rows / psql_s:,.0f} rows/s ({psql_s:.2f} s)",
        ratio=f"{ratio:.2f}x",
        target=">= 0.5x and RSS growth < 100 MB",
        met=ok and ratio >= 0.5 and growth < 100,
    )
    res.details = [
        f"GET {path} (anonymous): {sizes[0]:,} bytes, runs {', '.join(f'{x:.2f} s' for x in http_times)}, "
        f"status {statuses}",
        f"psql -c '<the same COPY>' > /dev/null: runs {', '.join(f'{x:.2f} s' for x in psql_times)}",
        "RSS of the 2 gunicorn workers before / peak (MiB): "
        + ", ".join(f"{before[pid] / 2**20:.0f} / {peak[pid] / 2**20:.0f}" for pid in before),
        f"statement: {statement[:300]}",
    ]
    return res
