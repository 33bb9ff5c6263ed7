"""Request context for the audit log: a request id and the client address, without passing the
request through every service call; the body-size guard (portal.uploads), which must act before
any middleware reads the body (CSRF reads POST); and the session rules of SECURITY.md 14.15 (absolute
lifetime, second factor)."""

import re
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from portal import uploads
from portal.errors import DomainError
from portal.pages import error_page
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
        record(
            "http.body_too_large",
            outcome="denied",
            request=request,
            detail={"path": request.path[:200], "method": request.method, "declared_bytes": declared},
        )
    except Exception:  # the refusal stands even if the log is unreachable
        import logging

        logging.getLogger(__name__).exception("could not record a refused request body")


SIGNED_IN_AT = "portal_signed_in_at"


def _remember_sign_in(sender, request, user, **kwargs):
    """The session's absolute lifetime counts from the password sign-in (user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


user_logged_in.connect(_remember_sign_in, dispatch_uid="portal_signed_in_at")


class SessionSecurityMiddleware:
    """Two rules for signed-in sessions (SECURITY.md 14.15), after the session, authentication, django-otp
    and messages middleware:

    1. Absolute lifetime: SESSION_ABSOLUTE_HOURS after the password sign-in the session ends however
       active it was (the idle limit, SESSION_IDLE_MINUTES, is the session cookie's age); the user
       is told why on the sign-in page, an API caller by a 401 with code session_expired.
    2. Second factor: a user who needs it (accounts.services.second_factor) and has only given the
       password may enter the code, enrol, change the language or sign out, nothing else: pages
       redirect to the second step (or to enrolment), the API answers 403 with code otp_required.
    """

    # api_token checks the password and the code itself and ignores the session.
    ALLOWED_UNVERIFIED = ("otp_verify", "otp_setup", "logout", "admin:logout", "set_language", "api_token")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._expired(request) or self._unverified(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _is_api(request) -> bool:
        return request.path.startswith("/api/")

    def _expired(self, request):
        hours = settings.SESSION_ABSOLUTE_HOURS
        started = request.session.get(SIGNED_IN_AT)
        if not hours:
            return None
        if started is None:  # a session from before this rule: its lifetime starts now
            request.session[SIGNED_IN_AT] = int(time.time())
            return None
        if time.time() - float(started) < hours * 3600:
            return None
        from audit.services import record

        record("auth.session.expired", request=request, detail={"hours": hours})
        logout(request)
        message = _("您已连续登录超过 %(n)s 小时，为保护账号安全已自动退出，请重新登录。") % {"n": hours}
        if self._is_api(request):
            return JsonResponse({"detail": message, "code": "session_expired"}, status=401)
        messages.warning(request, message)
        return redirect_to_login(request.get_full_path())

    def _unverified(self, request, user):
        from accounts.services.second_factor import confirmed_device, second_factor_required

        is_verified = getattr(user, "is_verified", None)  # django_otp.middleware.OTPMiddleware's
        if is_verified is not None and is_verified():
            return None
        device = confirmed_device(user)
        if device is None and not second_factor_required(user):
            return None
        match = getattr(request, "resolver_match", None) or _resolve(request.path_info)
        if (match is not None and match.view_name in self.ALLOWED_UNVERIFIED) or request.path.startswith(
            settings.STATIC_URL
        ):
            request.second_factor_pending = True
            return None
        if self._is_api(request):
            return JsonResponse(
                {
                    "detail": _("请先输入双因素认证的动态验证码（网页登录的第二步），再使用此功能。"),
                    "code": "otp_required",
                },
                status=403,
            )
        step = "otp_verify" if device is not None else "otp_setup"
        return redirect(f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


class DomainErrorPageMiddleware:
    """A service's refusal that a page view lets through is the error page with the refusal's status
    and message (portal.pages: 403 for permission, 409 for a conflict, else 400), not a 500. The
    API's views answer theirs themselves (their exception handler), before any middleware sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return error_page(request, exception) if isinstance(exception, DomainError) else None
