"""Valid request bodies that more than one area's table sends (a CSV of rows to load or upload)."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def _csv(rows, header) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load_file(w):
    """Three rows of the open-data factories' company table, as a CSV upload."""
    from tests.openness.factories import HEADER, company

    return SimpleUploadedFile("rows.csv", _csv([company(n) for n in range(60, 63)], HEADER), content_type="text/csv")
