"""The audit log's export as an HTTP response, one for the auditor's page and the API (Lhasa art. 41
and 43: every export is checked and recorded before a byte leaves, by exports.export_prepare)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse

from audit.services import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(*, actor, queryset: QuerySet, fmt: str, filters: dict) -> FileResponse | StreamingHttpResponse:
    """The filtered log as CSV (streamed) or Excel, once the export is allowed and recorded; a
    refusal (format, permission, size) raises DomainError for the caller's error page or API error."""
    exports.export_prepare(actor=actor, queryset=queryset, fmt=fmt, filters=filters)
    filename = exports.export_filename(fmt)
    if fmt == "xlsx":
        return FileResponse(exports.xlsx_file(queryset), as_attachment=True, filename=filename, content_type=XLSX)
    response = StreamingHttpResponse(exports.csv_stream(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
