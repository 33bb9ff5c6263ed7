"""The request being served, for code that has no request argument (the audit entry point)."""
import contextvars
import ipaddress

from django.conf import settings

_current_request: contextvars.ContextVar = contextvars.ContextVar("portal_request", default=None)


def bind_request(request):
    return _current_request.set(request)


def reset_request(token) -> None:
    _current_request.reset(token)


def current_request():
    return _current_request.get()


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy's header when TRUST_PROXY_HEADERS is on."""
    candidates = []
    if settings.PORTAL.get("TRUST_PROXY_HEADERS"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidates.append(forwarded.split(",")[0].strip())
        candidates.append(request.META.get("HTTP_X_REAL_IP", ""))
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            continue
    return None
