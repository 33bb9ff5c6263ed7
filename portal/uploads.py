"""Request bodies over the limits are refused before they are read (SECURITY.md, hostile input).

Two limits, both settings with documented defaults:
- a file upload (multipart/form-data): `UPLOAD_MAX_BYTES` if set, else the largest file any app
  accepts (CATALOG_LOADS["max_bytes"], OPEN_DATA["UPLOAD_MAX_BYTES"], 200 MB each by default) plus
  1 MB for the form's other fields;
- any other body (JSON, forms without files): Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).

A body whose Content-Length is over its limit gets 413 at once, without a byte of it read. A
multipart body is also counted while it streams (LimitedUploadHandler, first in the request's
upload handlers), so a body longer than it said stops at the limit; Django writes file parts over
FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, never to memory.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from portal import plugins

MULTIPART_OVERHEAD = 1024 * 1024


def upload_maxima() -> tuple[Callable[[], int], ...]:
    """The largest file each app accepts, as its plugin declares it (the base imports none of the
    apps): catalog's data loads and openness' open-data uploads (portal.plugins, `upload_max_bytes`)."""
    return plugins.contributions("upload_max_bytes")


def upload_limit() -> int:
    explicit = getattr(settings, "UPLOAD_MAX_BYTES", None)
    if explicit:
        return int(explicit)
    return max((int(provider()) for provider in upload_maxima()), default=0) + MULTIPART_OVERHEAD


def body_limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def limit_for(request) -> int | None:
    if request.content_type == "multipart/form-data":
        return upload_limit()
    return body_limit()


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of a multipart body as it streams and stops at the limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.body_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_response(request, limit: int):
    message = _("提交的内容超过大小上限（%(n)s）。") % {"n": _human(limit)}
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"detail": message, "code": "too_large"}, status=413, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(f"<!doctype html><meta charset=utf-8><title>413</title><p>{message}</p>", status=413)


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB"


def guard(request):
    """The 413 answer for a body declared over its limit, else None (and the streaming handler is set)."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    limit = limit_for(request)
    if limit is not None and declared_length(request) > limit:
        return too_large_response(request, limit)
    if request.content_type == "multipart/form-data":
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return None
