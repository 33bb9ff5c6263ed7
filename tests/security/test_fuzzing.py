"""API fuzzing (issue 10 §1): schemathesis generates requests from the portal's own `/api/schema/` for
every operation, sends them to a real gunicorn serving the test database, authenticated as each role
(hashed API tokens), and checks every answer: never a 5xx, and a body that fits the schema of its
status. A fixed budget of generated cases per operation (FUZZ_EXAMPLES, default 6, each sent as every role, and again on an object that exists), derived
deterministically (the same cases in every run; FUZZ_SEED changes them).

Every failure is a defect: fixed in the portal, or listed in KNOWN_FAILURES with the defect it shows
(and then that operation's test is expected to fail, strictly, until the defect is fixed).
"""
from __future__ import annotations

import os
import urllib.request

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, seed, settings as hsettings

from portal.roles import Role
from portal.services.tokens import token_issue
from tests.security import servers
from tests.security.world import World

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("FUZZ_SEED", "20261124"))
COLUMNS = ("anon", "public", "own", "other", "officer", "reviewer", "admin", "auditor")

# operation ("METHOD /path") -> the defect its failure shows.
KNOWN_FAILURES: dict[str, str] = {}

# The module's world is committed once (the server must see it); each test's own transaction (this
# marker) is rolled back and touches nothing: the calls go over HTTP.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    """A world committed to the test database, gunicorn serving it, one token per column."""
    log_dir = tmp_path_factory.mktemp("fuzz-logs")
    with django_db_blocker.unblock():  # committed data, for the server to see; flushed at the end
        from django.contrib.auth.models import Group
        from django.core.management import call_command

        from portal.models import CalendarYear
        from portal.services.roles import ensure_role_groups
        from portal.workdays import seed_from_library

        if not CalendarYear.objects.exists():
            seed_from_library()
        if Group.objects.filter(name__in=[r.value for r in Role]).count() != len(Role):
            ensure_role_groups()
        world = World().build()
        tokens = {column: token_issue(actor=user, name="fuzz")[1] for column, user in world.users.items()}
        env = servers.portal_env(OPEN_DATA_RATE_KEY_PER_MINUTE=10**6, OPEN_DATA_RATE_ANONYMOUS_PER_MINUTE=10**6,
                                 OPEN_DATA_RATE_ADDRESS_PER_MINUTE=10**6, LOGIN_FAILURE_LIMIT=10**6,
                                 CACHE_KEY_PREFIX=f"sec-fuzz-{os.getpid()}", MEDIA_ROOT=tmp_path_factory.mktemp("m"))
        web, base = servers.start_web(env, log_dir, workers=1, threads=4, name="fuzz-web")
        try:
            raw = requests.get(base + "/api/schema/?format=json", timeout=60).json()
            yield {"base": base, "tokens": tokens, "world": world, "schema": raw, "web": web}
        finally:
            web.stop()
            call_command("flush", "--noinput", verbosity=0)
            from tests.security.conftest import drop_datastore_tables

            drop_datastore_tables()


# Generated ids rarely hit an object; each case is also sent with the id of one the world made.
KNOWN_OBJECTS = [
    ("/api/catalog/entries/", "published"), ("/api/catalog/loads/", "load"), ("/api/catalog/duties/", "duty"),
    ("/api/open/datasets/", "dataset"), ("/api/open/keys/", "api_key"), ("/api/open/applications/", "open_application"),
    ("/api/open/versions/", "proposed_version"), ("/api/sharing/applications/", "share_application"),
    ("/api/sharing/grants/", "grant"), ("/api/sharing/objections/", "objection"),
    ("/api/sharing/coordinations/", "coordination"), ("/api/sharing/scenarios/", "scenario"),
    ("/api/notifications/", "notification"), ("/api/departments/", "dept_a"), ("/api/audit/entries/", "audit_entry"),
]


def _known_id(path, world):
    if path.startswith("/api/calendar/days/{"):
        return "2026-10-01"
    for prefix, attr in KNOWN_OBJECTS:
        if path.startswith(prefix + "{"):
            return getattr(world, attr).pk
    return None


def _sign_in(live, column):
    from tests.factories import PASSWORD

    response = requests.post(live["base"] + "/api/auth/token/", timeout=30,
                             json={"username": live["world"].users[column].username, "password": PASSWORD})
    return response.json().get("token", "")


def _schema(raw):
    import schemathesis

    schema = schemathesis.openapi.from_dict(raw)
    return schema


def _operations():
    """Operation ids from a schema generated in-process (collection cannot reach the live server)."""
    from drf_spectacular.generators import SchemaGenerator

    from django.db import connections

    raw = SchemaGenerator().get_schema(request=None, public=True)
    connections.close_all()  # collection happens before the test database exists: leave no connection behind
    return sorted(f"{method.upper()} {path}" for path, item in raw["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete"))


OPERATIONS = _operations()


def _param(op):
    reason = KNOWN_FAILURES.get(op)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(op, marks=marks, id=op)


def test_the_schema_has_every_api_operation():
    assert len(OPERATIONS) > 60
    for expected in ("GET /api/catalog/entries/", "POST /api/sharing/applications/", "GET /api/open/datasets/",
                     "GET /api/audit/entries/"):
        assert expected in OPERATIONS


@pytest.mark.parametrize("op", [_param(op) for op in OPERATIONS])
def test_fuzz_operation(live, op):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = _schema(live["schema"])
    method, path = op.split(" ", 1)
    operation = schema[path][method]
    failures = []
    tokens = live["tokens"]

    known = _known_id(path, live["world"])

    @seed(SEED)
    @hsettings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False, phases=[Phase.generate],
               suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        send(case)
        if known is not None and case.path_parameters:  # the same case on an object that exists
            name = "date" if "date" in case.path_parameters else "id"
            case.path_parameters = {**case.path_parameters, name: known}
            send(case)

    def send(case):
        for column in COLUMNS:
            headers = {} if column == "anon" else {"Authorization": f"Token {tokens[column]}"}
            try:
                response = case.call(base_url=live["base"], headers=headers, timeout=30)
            except requests.RequestException as exc:
                failures.append(f"{column}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code == 401 and column != "anon":  # the case revoked this column's token
                tokens[column] = _sign_in(live, column)
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # noqa: BLE001 - every failure is reported with its case
                failures.append(f"{column}: {response.status_code} {case.as_curl_command(headers)}\n"
                                f"{str(exc)[:1500]}")

    run()
    assert live["web"].alive(), live["web"].tail()
    assert not failures, f"{op}: {len(failures)} failing cases\n" + "\n\n".join(failures[:5])
