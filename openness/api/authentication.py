"""API-key authentication and rate limiting of the public open-data API (docs/features.md O4)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import BaseThrottle

from audit.models import Outcome
from audit.services import record
from openness import ratelimit
from openness.models import ApiKey
from openness.services import apikeys
from portal import suspensions

HEADER = "HTTP_X_API_KEY"


def presented_key(request) -> str:
    """The key from X-API-Key, or from "Authorization: ApiKey <key>"."""
    raw = request.META.get(HEADER, "")
    if not raw:
        scheme, _sep, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "apikey":
            raw = value
    return raw.strip()


class ApiKeyAuthentication(BaseAuthentication):
    """A registered user's key. Looked up in the database on every call: a revoked key is refused at once."""

    def authenticate(self, request):
        raw = presented_key(request)
        if not raw:
            return None
        checked = apikeys.check(raw)
        if checked.key is None:
            code = "key_expired" if checked.refusal == "expired" else "invalid_key"
            record(
                "openness.api.call",
                outcome=Outcome.DENIED,
                target=("openness.api", "authenticate"),
                detail={"reason": code, "prefix": apikeys.parse(raw) or "", "path": request.path[:200]},
            )
            raise exceptions.AuthenticationFailed(checked.message, code=code)
        held = suspensions.suspended(suspensions.API_KEY, api_key_id=checked.key.pk)
        if held:  # a containment action of an incident (Tongren art. 36)
            record(
                "openness.api.call",
                actor=checked.key.user,
                outcome=Outcome.DENIED,
                target=("openness.api", "authenticate"),
                detail={"reason": "key_suspended", "prefix": checked.key.prefix, "path": request.path[:200]},
            )
            raise exceptions.AuthenticationFailed(held, code="key_suspended")
        return checked.key.user, checked.key

    def authenticate_header(self, request):
        return 'ApiKey realm="open-data"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "openness.api.authentication.ApiKeyAuthentication"
    name = "openDataApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key"}


class RateLimited(exceptions.Throttled):
    """HTTP 429 with a Chinese message and Retry-After."""

    def __init__(self, wait: int):
        wait = max(1, int(wait or 1))
        exceptions.APIException.__init__(
            self, detail=_("请求过于频繁，请 %(n)d 秒后再试。") % {"n": wait}, code="throttled"
        )
        self.wait = wait


class OpenApiThrottle(BaseThrottle):
    """Per key (with a key) or per address (without), and per address in all; counted in Redis.
    Fails open when Redis is down (see openness.ratelimit)."""

    def allow_request(self, request, view):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        address = getattr(request, "client_ip", None) or self.get_ident(request)
        decision = ratelimit.hit(ratelimit.api_limits(key_id=key.pk if key else None, address=address))
        request._open_rate = decision
        self._wait = decision.wait
        if not decision.allowed and decision.first_refusal:
            # the first refusal of a window is audited; the rest of a flood is not written row by row
            record(
                "openness.api.call",
                actor=request.user,
                outcome=Outcome.DENIED,
                target=("openness.api", "rate_limit"),
                detail={
                    "reason": "rate_limited",
                    "limits": decision.exceeded,
                    "key": key.prefix if key else "",
                    "path": request.path[:200],
                },
            )
        return decision.allowed

    def wait(self):
        return getattr(self, "_wait", 60)
