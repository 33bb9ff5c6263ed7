"""Error pages in the user's language; API paths answer JSON in the same shape as the API's errors.

An error that is an outage of PostgreSQL or Redis (the server restarting, the connection lost) answers
503 with Retry-After instead of 500, without touching the database for the page (SECURITY.md, faults)."""

import sys

from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _answer(request, status, message, template):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": str(status)}, status=status)
    return render(request, template, {"message": message, "status": status}, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, _("请求无效。"), "errors/error.html")


def permission_denied(request, exception=None):
    return _answer(request, 403, _("您没有访问此页面的权限。"), "errors/error.html")


def page_not_found(request, exception=None):
    return _answer(request, 404, _("页面不存在。"), "errors/error.html")


def _outage_errors() -> tuple:
    errors = [OperationalError, InterfaceError]
    try:
        import redis

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover
        pass
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


RETRY_AFTER_SECONDS = 30


def service_unavailable(request):
    """503 for an outage: a page that needs neither the database nor the session."""
    message = _("服务暂时不可用（数据库或缓存正在恢复），请稍后重试。")
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "code": "service_unavailable"}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(
            f"<!doctype html><html lang=zh-hans><meta charset=utf-8><title>503</title><p>{message}</p></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_outage(error) -> bool:
    """A lost or restarting server. Besides OperationalError and InterfaceError, psycopg2 reports a
    connection cut in the middle of a statement as a bare DatabaseError ("error with status
    PGRES_TUPLES_OK and no message from the libpq") or an InternalError: any database error that
    is not about the statement or the data (integrity, programming, data, not supported)."""
    if isinstance(error, _outage_errors()):
        return True
    return isinstance(error, DatabaseError) and not isinstance(
        error, (IntegrityError, ProgrammingError, DataError, NotSupportedError)
    )


def server_error(request):
    if _is_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return _answer(request, 500, _("服务器内部错误，请稍后重试。"), "errors/error.html")
