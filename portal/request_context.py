"""The request being served, for code that has no request argument (the audit entry point), and
the one way the portal reads a client's address."""

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


def trusted_proxy_count() -> int:
    """How many proxies of our own stand in front of the portal: AXES_IPWARE_PROXY_COUNT, or 1 when
    only TRUST_PROXY_HEADERS is on (the usual single proxy); 0 trusts no header at all."""
    count = max(int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0), 0)
    if count == 0 and settings.PORTAL.get("TRUST_PROXY_HEADERS"):
        return 1
    return count


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, for the audit log, every throttle and the sign-in lock-out (axes calls
    it as AXES_CLIENT_IP_CALLABLE; DRF's throttles agree through NUM_PROXIES).

    SECURITY.md 14.8: each proxy appends the address it received the request from to X-Forwarded-For,
    so only the values our own proxies wrote can be believed, and those are the rightmost ones:
    behind N trusted proxies the client is the N-th value from the right (the leftmost when the
    header holds fewer). Whatever the client put in the header itself stays to the left and is
    never taken. With no trusted proxy the address is REMOTE_ADDR, whatever the headers say."""
    proxies = trusted_proxy_count()
    if proxies:
        forwarded = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
        if forwarded:
            found = _address(forwarded[-min(proxies, len(forwarded))])
            if found:
                return found
    return _address(str(request.META.get("REMOTE_ADDR", "")))
