"""Request context for the audit log: a request id and the client address, without passing the
request through every service call; and the body-size guard (portal.uploads), which must act before
any middleware reads the body (CSRF reads POST)."""
import re
import uuid

from portal import uploads
from portal.request_context import bind_request, client_ip, reset_request

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.client_ip = client_ip(request)
        token = bind_request(request)
        try:
            response = uploads.guard(request)
            if response is not None:
                _record_refusal(request, uploads.declared_length(request))
            else:
                response = self.get_response(request)
                if getattr(request, "body_too_large", False):  # stopped while streaming
                    response = uploads.too_large_response(request, uploads.upload_limit())
                    _record_refusal(request, None)
        finally:
            reset_request(token)
        response["X-Request-ID"] = request.request_id
        return response


def _record_refusal(request, declared):
    """A body refused for its size leaves an audit entry like any other refusal (A1)."""
    from audit.services import record

    try:
        record("http.body_too_large", outcome="denied", request=request,
               detail={"path": request.path[:200], "method": request.method, "declared_bytes": declared})
    except Exception:  # noqa: BLE001 - the refusal stands even if the log is unreachable
        import logging

        logging.getLogger(__name__).exception("could not record a refused request body")
