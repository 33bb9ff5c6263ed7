"""No response that may hold someone's data stays in a browser's or a proxy's cache (SECURITY.md 14.13).

Rows (previews, queries, API rows), downloads of data that is not public, exports, audit exports:
every one of them answers a signed-in user, an API token or an open-data key. The rule is kept
that simple, so that no route can be forgotten: a response gets
`Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private` (Django's
add_never_cache_headers) unless it is the answer to an anonymous GET or HEAD that carried no
credentials at all (no session cookie, Authorization or X-API-Key header) and sets no cookie.
What stays cacheable is what anybody may fetch without signing in: the public pages and the
downloads of 无条件开放 data. Static files are served before this middleware (whitenoise) and keep
their own long-lived headers.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

SAFE_METHODS = frozenset({"GET", "HEAD"})
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY")


def is_public_answer(request, response) -> bool:
    if request.method not in SAFE_METHODS or response.cookies:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or any(request.META.get(h) for h in CREDENTIAL_HEADERS):
        return False
    user = getattr(request, "user", None)  # set by the session or, for the API, by DRF on this request
    return not (user is not None and user.is_authenticated)


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_public_answer(request, response):
            add_never_cache_headers(response)
        return response
