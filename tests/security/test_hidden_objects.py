"""SECURITY.md 14.4 (Lhasa art. 41, 43): a 404 for an object that exists but that the caller may not see is
recorded as `request.denied` with the object as its target; the caller learns nothing more than for
an id that exists nowhere, and such an id leaves no denied entry (nothing was withheld).

The walk is generated from the permission matrix (tests/security/matrix/): every
row of a route with URL arguments, called by every signed-in column the row refuses ("-"), with the
world's objects of department A (tests/security/route_args.py). A route added later is walked too.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import transaction
from django.test import Client

from audit.models import AuditEntry
from tests.audit.routes import all_routes
from tests.security.matrix.registry import BODIES, rows_for
from tests.security.route_args import MISSING, args_for
from tests.security.world import COLUMNS, World

SIGNED_IN = [c for c in COLUMNS if c != "anon"]


class _Rollback(Exception):
    pass


def _call(client, method, path, data):
    request_id = f"hidden-{uuid.uuid4().hex}"
    kwargs = {"HTTP_X_REQUEST_ID": request_id}
    if method == "get":
        return client.get(path, data or {}, **kwargs), request_id
    if method == "post" and not isinstance(data, str):
        return client.post(path, data or {}, **kwargs), request_id
    return getattr(client, method)(
        path, data if isinstance(data, str) else json.dumps(data or {}), content_type="application/json", **kwargs
    ), request_id


def _observe(client, method, path, data):
    """(status, denied entries of the call as (object_type, object_id)) — in a savepoint rolled back."""
    seen = {}
    try:
        with transaction.atomic():
            response, request_id = _call(client, method, path, data)
            seen["status"] = response.status_code
            seen["body"] = response.content if not response.streaming else b""
            seen["denied"] = list(
                AuditEntry.objects.filter(request_id=request_id, action="request.denied").values_list(
                    "object_type", "object_id"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return seen


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sec-hidden-{uuid.uuid4().hex[:8]}"},
    }
    settings.OPEN_DATA = {
        **settings.OPEN_DATA,
        "RATE_ADDRESS_PER_MINUTE": 10**6,
        "RATE_ANONYMOUS_PER_MINUTE": 10**6,
        "RATE_KEY_PER_MINUTE": 10**6,
    }


def _walk_targets():
    for route in all_routes():
        if not route.params or route.key.startswith("admin"):
            continue  # the admin site answers staff by model permission, not by a visibility selector
        variants = args_for(route.key) or {}
        for _name, variant, method, expected in rows_for(route):
            if variant not in variants:
                continue
            yield route, variant, method, expected, variants[variant]


@pytest.mark.django_db
@pytest.mark.timeout(1200)
def test_a_404_for_an_existing_object_the_caller_may_not_see_is_a_denied_entry_naming_it():
    world = World().build()
    clients = {}
    for column in SIGNED_IN:
        clients[column] = Client(raise_request_exception=False)
        clients[column].force_login(world.users[column])
    problems, hidden = [], 0
    for route, variant, method, expected, make in _walk_targets():
        kwargs = make(world)
        path = route.path(kwargs)
        ids = {str(v) for v in kwargs.values()}
        body = BODIES.get((route.key, variant, method))
        for column in SIGNED_IN:
            if expected[column] != "-":
                continue
            seen = _observe(clients[column], method, path, body(world) if body else None)
            if seen["status"] != 404:
                continue
            hidden += 1
            named = [d for d in seen["denied"] if d[0] != "route" and d[1] in ids]
            if not named:
                problems.append(
                    f"{method.upper()} {path} [{route.key}] as {column}: 404 with denied entries "
                    f"{seen['denied']}, none naming the object {sorted(ids)}"
                )
    assert hidden >= 40, f"only {hidden} hidden-object refusals walked: the world or the matrix changed"
    assert not problems, "404s that left no trace of the hidden object:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.timeout(1200)
def test_an_id_that_exists_nowhere_answers_the_same_404_and_leaves_no_denied_entry():
    world = World().build()
    client = Client(raise_request_exception=False)
    client.force_login(world.users["other"])
    problems, missing = [], 0
    done = set()
    for route, variant, method, _expected, make in _walk_targets():
        kwargs = make(world)
        if (route.key, method) in done or not any(k in kwargs for k in ("pk", "entry_pk", "upload_pk")):
            continue
        done.add((route.key, method))
        kwargs = {k: (MISSING if k in ("pk", "entry_pk", "upload_pk") else v) for k, v in kwargs.items()}
        body = BODIES.get((route.key, variant, method))
        seen = _observe(client, method, route.path(kwargs), body(world) if body else None)
        if seen["status"] != 404:
            continue
        missing += 1
        objects = [d for d in seen["denied"] if d[0] != "route"]
        if objects:
            problems.append(f"{method.upper()} {route.path(kwargs)} [{route.key}]: denied entries {objects}")
    assert missing >= 30, missing
    assert not problems, "an id that exists nowhere was recorded as a hidden object:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_another_departments_draft_answers_exactly_like_a_missing_id_and_is_recorded():
    from portal.roles import Role
    from tests.catalog.factories import draft
    from tests.factories import DepartmentFactory, user_with_role

    owner = user_with_role(Role.DATA_OFFICER, department=DepartmentFactory(name="甲局"))
    prober = user_with_role(Role.DEPARTMENT_STAFF, department=DepartmentFactory(name="乙局"))
    entry = draft(owner, name="甲局内部资源")
    client = Client()
    client.force_login(prober)
    for path, missing in (
        (f"/api/catalog/entries/{entry.pk}/", f"/api/catalog/entries/{MISSING}/"),
        (f"/catalog/{entry.pk}/", f"/catalog/{MISSING}/"),
    ):
        hidden_answer = client.get(path, HTTP_X_REQUEST_ID=f"probe-{entry.pk}-{len(path)}")
        missing_answer = client.get(missing, HTTP_X_REQUEST_ID=f"probe-missing-{len(path)}")
        assert hidden_answer.status_code == missing_answer.status_code == 404
        if path.startswith("/api/"):
            assert hidden_answer.json() == missing_answer.json()  # no more detail than for a missing id
        assert "甲局内部资源" not in hidden_answer.content.decode()
        denied = AuditEntry.objects.get(request_id=f"probe-{entry.pk}-{len(path)}")
        assert (denied.action, denied.outcome, denied.object_type, denied.object_id) == (
            "request.denied",
            "denied",
            "catalog.resourceentry",
            str(entry.pk),
        )
        assert denied.actor_id == prober.pk and denied.detail["status"] == 404
        assert "甲局内部资源" in denied.object_repr  # for the auditors, never for the caller
        assert not AuditEntry.objects.filter(request_id=f"probe-missing-{len(path)}").exists()
