"""Request context for the audit log: a request id and the client address, without passing the
request through every service call."""
import re
import uuid

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
            response = self.get_response(request)
        finally:
            reset_request(token)
        response["X-Request-ID"] = request.request_id
        return response
