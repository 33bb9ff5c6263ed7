"""A1 coverage: no state-changing request and no refusal goes unrecorded (Lhasa art. 41, 43).

Services record their operations inside their own transaction; when they refuse (permission,
validation) the transaction rolls back and their entry with it, and some routes (other apps'
admin pages, framework views) record nothing at all. After the answer is ready, this middleware
checks whether an entry of this request survived (known without a query when its transaction
committed, see audit.services._remember); if not, it records one for
- every POST, PUT, PATCH and DELETE, whatever the answer;
- every refusal (401, 403, or a redirect to a sign-in page) of any method;
- every GET of a route named in settings.AUDIT_READ_ROUTE_PATTERNS (reads of row data,
  downloads, exports).
The entry is `request.<method>` or `request.denied`, target ("route", URL name), with path and status.

A 404 for an object that exists but that the caller may not see (portal.visibility noted it on the
request) is a refusal too (SECURITY.md 14.4): `request.denied` with that object as the target, whatever
the method; an id that exists nowhere leaves no entry (nothing was withheld).
"""

from __future__ import annotations

import fnmatch
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.models import AuditEntry, Outcome
from audit.services import record
from portal.visibility import hidden_object

logger = logging.getLogger(__name__)

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DENIED_STATUSES = frozenset({401, 403})


def _sign_in_paths() -> set[str]:
    paths = set()
    for name in (settings.LOGIN_URL, "admin:login"):
        try:
            paths.add(reverse(name) if not str(name).startswith("/") else str(name))
        except NoReverseMatch:
            continue
    return paths


def route_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return match.view_name or ""


class AuditCoverageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._sign_in = None

    def __call__(self, request):
        request._audit_entry_ids = []
        request._audit_committed_ids = []  # filled by record()'s on_commit callbacks
        started = timezone.now()
        response = self.get_response(request)
        try:
            self._cover(request, response, started)
        except DatabaseError:
            # The answer stands (the business transaction, if any, has committed with its own entry);
            # the failure is logged for the operators.
            logger.exception("audit: could not record the fallback entry of %s %s", request.method, request.path)
        return response

    def _denied(self, response) -> bool:
        if response.status_code in DENIED_STATUSES:
            return True
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            if self._sign_in is None:
                self._sign_in = _sign_in_paths()
            return urlsplit(response["Location"]).path in self._sign_in
        return False

    def _needs_entry(self, request, response, denied: bool) -> bool:
        if request.method in STATE_CHANGING or denied:
            return True
        if request.method == "GET" and 200 <= response.status_code < 300:
            name = route_name(request)
            return bool(name) and any(fnmatch.fnmatchcase(name, p) for p in settings.AUDIT_READ_ROUTE_PATTERNS)
        return False

    def _recorded(self, request, started) -> bool:
        ids = [pk for pk in getattr(request, "_audit_entry_ids", []) if pk is not None]
        if not ids:
            return False
        if getattr(request, "_audit_committed_ids", None):
            return True  # an entry's transaction committed (see audit.services._remember): it survived
        # Entries recorded inside a transaction that was rolled back are gone, and those of a transaction
        # still open (a test's, ATOMIC_REQUESTS) are not known to be final: check they survived.
        return AuditEntry.objects.filter(pk__in=ids, occurred_at__gte=started).exists()

    def _cover(self, request, response, started) -> None:
        hidden = hidden_object(request) if response.status_code == 404 else None
        if hidden is not None:
            self._cover_hidden(request, response, hidden)
            return
        denied = self._denied(response)
        if not self._needs_entry(request, response, denied):
            return
        if self._recorded(request, started):
            return
        status = response.status_code
        if denied:
            action, outcome = "request.denied", Outcome.DENIED
        else:
            action = f"request.{request.method.lower()}"
            outcome = Outcome.SUCCESS if status < 400 else Outcome.FAILURE
        name = route_name(request)
        with transaction.atomic():
            record(
                action,
                target=("route", name or "-", request.path[:200]),
                outcome=outcome,
                request=request,
                detail={"method": request.method, "path": request.path[:300], "status": status, "route": name},
            )

    def _cover_hidden(self, request, response, hidden) -> None:
        meta = hidden._meta
        if ("request.denied", f"{meta.app_label}.{meta.model_name}", str(hidden.pk)) in getattr(
            request, "_audit_targets", set()
        ):
            return  # the view recorded this refusal itself
        name = route_name(request)
        with transaction.atomic():
            record(
                "request.denied",
                target=hidden,
                outcome=Outcome.DENIED,
                request=request,
                detail={
                    "method": request.method,
                    "path": request.path[:300],
                    "status": response.status_code,
                    "route": name,
                    "reason": "not_visible",
                },
            )
