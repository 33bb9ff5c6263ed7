"""O4: downloads stream with constant memory whatever the size (CSV by COPY, JSON and XLSX by the
streaming writers): the peak of Python memory stays far below the size of the file."""

import csv
import io
import json
import tracemalloc

import openpyxl
import pytest
from django.db import connection

from openness import downloads
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 60_000


@pytest.fixture
def big(officer, reviewer):
    dataset, version = published_dataset(officer, reviewer)
    with connection.cursor() as cursor:  # test set-up: fill the published table fast, in SQL
        cursor.execute(
            f'INSERT INTO datastore."{version.table_name}" (_row, uscc, company_name, legal_rep, note, established) '
            "SELECT 10 + g, '91540100000000020W', '示范市企业' || g, '张*', "
            "CASE WHEN g % 1000 = 0 THEN '=1+1' ELSE repeat('备注', 20) END, date '2020-01-01' + (g % 3000) "
            f"FROM generate_series(1, {ROWS - 5}) AS g"
        )
    version.row_count = ROWS
    version.save(update_fields=["row_count"])
    return version


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_downloads_stream_with_constant_memory(big, fmt):
    tracemalloc.start()
    size, peak_outside = 0, 0
    chunks = []
    for chunk in downloads.stream(big, fmt):
        size += len(chunk)
        chunks.append(chunk)
        # the chunks kept for checking are not the writer's memory: measure without them
        current, peak = tracemalloc.get_traced_memory()
        peak_outside = max(peak_outside, current - sum(len(c) for c in chunks))
    tracemalloc.stop()
    content = b"".join(chunks)
    assert size > (1_000_000 if fmt == "xlsx" else 3_000_000)  # XLSX is compressed
    assert peak_outside < 3_000_000, f"{fmt}: {peak_outside} bytes held while streaming {size} bytes"
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert len(rows) == ROWS + 1
        assert sum(r[3] == "'=1+1" for r in rows) == 59 and not any(r[3].startswith("=") for r in rows)
    elif fmt == "json":
        assert len(json.loads(content)["rows"]) == ROWS
    else:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        assert sum(1 for _row in book.worksheets[0].iter_rows(values_only=True)) == ROWS + 1
