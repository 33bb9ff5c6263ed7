"""A1 (Lhasa art. 41, 43; Hechi 2nd art. 41): every state-changing route of every app leaves an audit
entry, whoever calls it — a user allowed to, a user refused, or nobody signed in.

The routes are walked generically (tests/audit/routes.py): a route added later is covered
automatically; one that needs arguments and has no factory fails here, named. Every route is
called with POST, PUT, PATCH and DELETE (empty bodies) as each role and anonymously; a method the
view does not accept (405) is skipped. Each call must leave at least one entry carrying its request
id. Calls by the auditor must change nothing but the log, their session and their own account
(Lhasa art. 39: separation of duties).
"""

import re
import uuid
from functools import cached_property

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client

from audit.models import AuditEntry
from audit.services import record
from portal.roles import Role
from tests.audit.routes import all_routes, factories
from tests.factories import user_with_role

METHODS = ("post", "put", "patch", "delete")
# What an auditor's own calls may write: the log, sessions and sign-in records, their own token,
# notifications and password. Nothing of the portal's business.
AUDITOR_MAY_WRITE = {
    "audit_auditentry",
    "audit_verificationjob",  # 立即校验: checking the log is the auditor's own duty (Lhasa art. 39, 43)
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "portal_notification",
    "portal_notificationpreference",
    "portal_user",
}
AUDITOR_OWN_ACCOUNT_ROUTES = {
    "password_change",
    "admin:password_change",
    "logout",
    "admin:logout",
    "login",
    "admin:login",
    "set_language",
    "api_token",
}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?', re.I)

ROUTES = all_routes()
FACTORIES = factories()


def area(route) -> str:
    """The first segment of the route's path ("admin", "api", "catalog", ...): one test per area."""
    first = route.pattern.split("/", 1)[0].strip("^")
    return first if "/" in route.pattern and first and not first.startswith("(") else "root"


AREAS = sorted({area(r) for r in ROUTES})


class World:
    """The users and objects the routes are called with (built lazily, once per test)."""

    def __init__(self):
        self.users = {role: user_with_role(role) for role in Role}
        self.officer = self.users[Role.DATA_OFFICER]
        self.staff = self.users[Role.DEPARTMENT_STAFF]
        self.auditor = self.users[Role.AUDITOR]

    @cached_property
    def notification(self):
        from portal.services.notifications import notify

        notify(users=list(self.users.values()), kind="catalog.duty", key="walker", title="walker")
        from portal.models import Notification

        return Notification.objects.filter(key="walker").first()

    @cached_property
    def entry(self):
        return record("test.walker", actor=self.officer)

    def content_type(self, label):
        from django.apps import apps

        return ContentType.objects.get_for_model(apps.get_model(label))


def _kwargs(route, world):
    if not route.params:
        return {}
    factory = FACTORIES.get(route.key)
    if factory is None:
        pytest.fail(
            f"Route {route.key!r} ({route.pattern}) needs arguments {list(route.params)} and has no factory: add "
            "one to ROUTE_FACTORIES in tests/audit/routes.py, or in tests/<app>/route_factories.py "
            "(an admin model: MODEL_FACTORIES in tests/audit/routes.py).",
            pytrace=False,
        )
    return factory(world)


class _Writes:
    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql or "")
        if match:
            self.tables.add(match.group(1).split(".")[-1])
        return execute(sql, params, many, context)


class Callers:
    """One signed-in client per role, and an anonymous one, reused across calls; a client whose
    session a call ended (sign-out, password change) signs in again."""

    def __init__(self, world):
        self.world = world
        self.clients = {}

    def client(self, who):
        client = self.clients.get(who)
        if client is None or (who != "anonymous" and "_auth_user_id" not in client.session):
            client = Client()
            if who != "anonymous":
                client.force_login(self.world.users[Role(who)])
            self.clients[who] = client
        return client

    def call(self, who, path, method):
        request_id = f"walk-{uuid.uuid4().hex}"
        writes = _Writes()
        kwargs = {"HTTP_X_REQUEST_ID": request_id}
        if method != "post":
            kwargs["content_type"] = "application/json"
        client = self.client(who)
        with connection.execute_wrapper(writes):
            response = getattr(client, method)(path, {} if method == "post" else "{}", **kwargs)
        return response, request_id, writes.tables


class _Rollback(Exception):
    pass


def test_every_route_with_parameters_has_a_factory():
    missing = [f"{r.key} ({r.pattern}) needs {list(r.params)}" for r in ROUTES if r.params and r.key not in FACTORIES]
    assert not missing, (
        "routes without an argument factory (add them to tests/audit/routes.py or "
        "tests/<app>/route_factories.py):\n  " + "\n  ".join(missing)
    )


def test_the_walk_finds_the_routes_of_every_app():
    keys = {r.key for r in ROUTES}
    for expected in (
        "login",
        "audit:export",
        "audit-entry-list",
        "admin:portal_department_change",
        "calendar-day-detail",
        "set_language",
    ):
        assert expected in keys
    assert len(ROUTES) > 50


def _walk(route, world, callers) -> list[str]:
    path = route.path(_kwargs(route, world))
    problems = []
    for method in METHODS:
        for who in ["anonymous"] + [role.value for role in Role]:
            response, request_id, tables = callers.call(who, path, method)
            if response.status_code == 405:
                continue  # the view does not accept this method
            if not AuditEntry.objects.filter(request_id=request_id).exists():
                problems.append(f"{method.upper()} {path} as {who} → {response.status_code}: no audit entry")
            if who == Role.AUDITOR.value and route.key not in AUDITOR_OWN_ACCOUNT_ROUTES:
                foreign = tables - AUDITOR_MAY_WRITE
                if foreign:
                    problems.append(
                        f"{method.upper()} {path} as auditor → {response.status_code}: "
                        f"wrote {sorted(foreign)} (separation of duties)"
                    )
    return problems


@pytest.mark.django_db
# hundreds of requests each: on a busy machine more than the default limit of 300 s (pyproject.toml)
@pytest.mark.timeout(900)
@pytest.mark.parametrize("area_name", AREAS)
def test_every_state_changing_call_leaves_an_entry(area_name):
    world = World()
    _ = world.notification, world.entry  # built before the walk: each route runs in a savepoint rolled back
    callers = Callers(world)
    failures = {}
    for route in [r for r in ROUTES if area(r) == area_name]:
        for who in ["anonymous"] + [role.value for role in Role]:
            callers.client(who)  # signed in outside the savepoint: a sign-in inside it is rolled back too
        try:
            with transaction.atomic():  # each route starts from the same world
                problems = _walk(route, world, callers)
                raise _Rollback
        except _Rollback:
            pass
        except pytest.fail.Exception as exc:
            problems = [str(exc)]
        if problems:
            failures[route.key] = problems
    assert not failures, "\n".join(f"{key}:\n  " + "\n  ".join(p) for key, p in failures.items())


@pytest.mark.django_db
def test_the_walk_catches_a_silent_route_and_names_a_route_without_factory(settings):
    """Without the audit middleware a route that records nothing fails the walk, named."""
    from tests.audit.routes import Route

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "audit.middleware.AuditCoverageMiddleware"]
    settings.ROOT_URLCONF = "tests.audit.test_middleware"
    routes = {r.key: r for r in all_routes()}
    world = World()
    problems = _walk(routes["silent"], world, Callers(world))
    assert problems and problems[0].startswith("POST /silent/ as anonymous → 200: no audit entry")
    assert _walk(routes["audited"], world, Callers(world)) == []
    nameless = Route(
        key="sharing:new_thing", pattern="sharing/<int:pk>/", regex="sharing/(?P<pk>[0-9]+)/", params=("pk",)
    )
    with pytest.raises(pytest.fail.Exception, match=r"'sharing:new_thing' \(sharing/<int:pk>/\) needs arguments"):
        _kwargs(nameless, world)
