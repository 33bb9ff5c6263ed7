"""Streaming download responses of a dataset version: CSV by COPY, JSON and XLSX by the streaming
writers; memory stays flat whatever the size (docs/conventions.md, pitfalls: "Streaming downloads")."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from catalog import datastore
from catalog.datastore import export
from openness.models import DatasetVersion

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(version: DatasetVersion, fmt: str) -> str:
    title = "".join(ch for ch in version.title if ch not in '\\/:*?"<>|\r\n\t')[:80] or "dataset"
    return f"{title}_v{version.number}.{fmt}"


def meta(version: DatasetVersion) -> dict:
    dataset = version.dataset
    return {
        "dataset": dataset.pk,
        "title": version.title,
        "version": version.number,
        "department": dataset.department.name,
        "open_type": version.open_type,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "rows": version.row_count,
    }


def stream(version: DatasetVersion, fmt: str):
    columns = version.datastore_columns
    if fmt == "csv":
        # a byte order mark so that Excel opens the UTF-8 file with its Chinese intact
        return datastore.stream_csv(version.table_name, columns, bom=True)
    if fmt == "json":
        return export.stream_json(version.table_name, columns, meta=meta(version))
    return export.stream_xlsx(version.table_name, columns, row_count=version.row_count, sheet_title=version.title)


def response(version: DatasetVersion, fmt: str) -> StreamingHttpResponse:
    answer = StreamingHttpResponse(stream(version, fmt), content_type=CONTENT_TYPES[fmt])
    answer["Content-Disposition"] = content_disposition_header(True, filename(version, fmt))
    answer["X-Content-Type-Options"] = "nosniff"
    answer["Cache-Control"] = "no-store"
    return answer
