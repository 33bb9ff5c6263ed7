"""Calling a route as each column of the permission matrix, and reading the answer as an outcome.

Outcomes:
    +   allowed: 2xx; a redirect that is not to a sign-in page and carries no permission-denied
        message; 400/409 (the request got past the permission checks to the validation)
    -   refused: 403, 404 (hidden), a redirect to a sign-in page for a signed-in user, a redirect
        carrying the permission-denied message, or a 400 with code "permission_denied"
    L   sign in first: for the anonymous column, a redirect to a sign-in page, 401 or 403
    .   the method is not offered to this caller (405)
A 500 is never an outcome: the test fails with the traceback.
"""

from __future__ import annotations

import json
import uuid
from fnmatch import fnmatchcase

from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.test import Client

from portal.errors import PermissionDeniedError
from tests.security.world import COLUMNS

SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/")


class _Rollback(Exception):
    pass


def _denied_message(response) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)
    if storage is None:
        return False
    denied = {str(PermissionDeniedError.default_message)}
    found = False
    # only what this request added: a message left by an earlier call is not this call's refusal
    for message in list(getattr(storage, "_queued_messages", [])):
        if message.level == message_levels.ERROR and str(message.message) in denied:
            found = True
    return found


class _Refusals:
    """Counts PermissionDeniedError raised during a call: a page that catches it and shows its message
    (a redirect with the message) has refused, whatever the status code says."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        original = PermissionDeniedError.__init__
        refusals = self

        def init(error, *args, **kwargs):
            refusals.count += 1
            original(error, *args, **kwargs)

        self._original = original
        PermissionDeniedError.__init__ = init
        return self

    def __exit__(self, *exc):
        PermissionDeniedError.__init__ = self._original


def outcome(column: str, response, refused: bool = False) -> str:
    code = response.status_code
    anonymous = column == "anon"
    if code == 500:
        raise AssertionError("server error")
    if code == 405:
        return "."
    if refused and code not in (401, 403, 404):
        return "L" if anonymous else "-"
    if code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if any(location.split("?")[0].endswith(p) for p in SIGN_IN_PATHS):
            return "L" if anonymous else "-"
        return "-" if _denied_message(response) else "+"
    if code == 401:
        return "L" if anonymous else "-"
    if code == 403:
        return "L" if anonymous else "-"
    if code == 404:
        return "-"
    if code == 400:
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            body = {}
        if isinstance(body, dict) and body.get("code") in ("permission_denied", "not_authenticated"):
            return "L" if anonymous else "-"
        return "+"
    if 200 <= code < 300 or code in (409, 410, 415):
        return "+"
    raise AssertionError(f"unexpected status {code}")


class Callers:
    """One client per column, signed in again when a call ended its session (sign-out)."""

    def __init__(self, world):
        self.world = world
        self.clients: dict[str, Client] = {}

    def client(self, column: str) -> Client:
        client = self.clients.get(column)
        if client is None or (column != "anon" and "_auth_user_id" not in client.session):
            client = Client(raise_request_exception=False)
            if column != "anon":
                client.force_login(self.world.users[column])
            self.clients[column] = client
        return client

    def call(self, column: str, method: str, path: str, data=None):
        client = self.client(column)
        kwargs = {"HTTP_X_REQUEST_ID": f"matrix-{uuid.uuid4().hex}"}
        if method == "get":
            return client.get(path, data or {}, **kwargs)
        if method == "post" and not isinstance(data, str):
            return client.post(path, data or {}, **kwargs)
        return getattr(client, method)(
            path, data if isinstance(data, str) else json.dumps(data or {}), content_type="application/json", **kwargs
        )

    def outcome(self, column: str, method: str, path: str, data=None) -> str:
        """The outcome of one call, in a savepoint rolled back afterwards (every call sees one world)."""
        result = None
        client = self.client(column)  # signed in outside the savepoint, or every rollback would sign it out again
        client.cookies.pop("messages", None)  # messages of an earlier call (a redirect leaves them unread)
        try:
            with transaction.atomic():
                with _Refusals() as refusals:
                    response = self.call(column, method, path, data)
                result = outcome(column, response, refused=refusals.count > 0)
                raise _Rollback
        except _Rollback:
            pass
        except AssertionError as exc:
            body = getattr(locals().get("response"), "content", b"")[:3000]
            raise AssertionError(
                f"{method.upper()} {path} as {column}: {exc}\n{body.decode(errors='replace')}"
            ) from exc
        return result


def parse_table(text: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """Rows of "route[variant] METHOD o o o o o o o o" (one outcome per column; # starts a comment)."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 + len(COLUMNS):
            raise ValueError(f"matrix line {number}: expected route, method and {len(COLUMNS)} outcomes: {line!r}")
        key, method, *cells = parts
        bad = [c for c in cells if c not in "+-L."]
        if bad:
            raise ValueError(f"matrix line {number}: unknown outcome {bad}")
        route, _, variant = key.partition("[")
        rows.append((route, variant.rstrip("]"), method.lower(), dict(zip(COLUMNS, cells))))
    return rows


def covers(pattern: str, key: str) -> bool:
    return fnmatchcase(key, pattern) if any(ch in pattern for ch in "*?") else pattern == key
