"""The catalog export (docs/features.md C6) as a file response, built once for the pages
(catalog.views.exchange, signed-in users) and the API (catalog.api.views.ExportView): what the user
may list of the published catalog as CSV (streamed), an Excel workbook or a DCAT JSON-LD document.
Each export is recorded in the audit log (Lhasa art. 39)."""

from __future__ import annotations

import csv
import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from audit.services import record
from catalog import exchange, selectors

FORMATS = ("csv", "xlsx", "jsonld")


class _Echo:
    def write(self, value):
        return value


def _filename(ext: str) -> str:
    return f"catalog-{timezone.localdate():%Y%m%d}.{ext}"


def export_response(*, user, fmt: str, base_url: str) -> HttpResponse | StreamingHttpResponse:
    """The export in `fmt` (one of FORMATS; ValueError otherwise); base_url: the site's address, for
    the DCAT document's links."""
    if fmt == "csv":
        record("catalog.export", actor=user, detail={"format": "csv"})
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # so that Excel opens UTF-8 with Chinese headers
            yield writer.writerow(exchange.EXPORT_HEADERS)
            for version, details in selectors.published_for_export(user):
                yield writer.writerow(exchange.row_for(version, details=details))

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
        return response
    if fmt == "xlsx":
        record("catalog.export", actor=user, detail={"format": "xlsx"})
        content = exchange.write_xlsx(selectors.published_for_export(user))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
        return response
    if fmt == "jsonld":
        record("catalog.export", actor=user, detail={"format": "dcat"})
        if DCAT_WRITER:  # DCAT-AP 3.0, written by interop.dcat (a layer above catalog: it registers itself)
            return DCAT_WRITER[0](user=user, base_url=base_url)
        versions = [v for v, _details in selectors.published_for_export(user)]
        document = exchange.dcat(versions, base_url=base_url, title=str(settings.PORTAL_TITLE))
        return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json")
    raise ValueError(fmt)


# The DCAT-AP writer interop.dcat registers at start-up (interop.dcat.apps); without it, the plain DCAT above.
DCAT_WRITER: list = []
