"""API fuzzing (SECURITY.md, API fuzzing, 14.F): schemathesis generates requests from the
portal's own `/api/schema/` for every operation and sends them to a real gunicorn serving the test
database, as every role (hashed API tokens; the public user also with its open-data API key), with
ALL of schemathesis' checks: no server error, status codes, content types, headers and bodies as
documented, invalid data refused, valid data not refused, authentication enforced, nothing found
after it was deleted and everything found after it was created (use_after_free and
ensure_resource_availability judge the scenarios: an answer to valid data followed along the links
schemathesis infers from the schema, `chains()`, and its state machine per role).

The world (tests/security/fuzz_world.py) is built through the real services; each role's cases are
steered to the objects the role would use (B's grant of the operation's mode, the role's own
notification, the dataset to re-publish...), beside the ids schemathesis draws itself; explicit
requests with valid data (`examples()`) are sent first, so that what a role may do is reached with a
2xx, and counted: `test_grant_use_and_republishing_reached` asserts it for grant use in each mode
and for re-publishing an open dataset.

Budget: FUZZ_EXAMPLES generated cases per operation, role and mode (positive, negative; default 3),
FUZZ_STATEFUL_EXAMPLES scenarios per role in the stateful run (default 8), derived deterministically
(FUZZ_SEED changes them); FUZZ_REPORT=<file> writes every failure there, not only the first ones.
A failure is a defect: fixed in the portal (its schema or its behaviour), never excluded from the
run. The one judgement made here: positive_data_acceptance is not asked where JSON Schema cannot
state the rule (RULES_NOT_IN_SCHEMA, each with its rule) and takes a state refusal as a 409
(STATE_REFUSALS).
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cached_property

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis.engine.recorder import ScenarioRecorder

from portal.roles import Role
from tests.security import servers
from tests.security.fuzz_world import MODES, ROLES, FuzzWorld, chains, examples

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "8"))
SEED = int(os.environ.get("FUZZ_SEED", "20261124"))
REPORT = os.environ.get("FUZZ_REPORT", "")  # a file to append every failure to (all of them, not only the first)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Generated ids of unsafe operations in this range may name an object of the world that another
# operation's cases need (a grant B uses, the dataset being re-published): those are left to the
# steered cases, which name the operation's own object.
WORLD_IDS = range(1, 10**6)

# positive_data_acceptance (schema-valid data is not refused with a 400) runs wherever the schema can
# state every rule of an operation's input: the calendar's date range, bounds, enums, "empty means not
# given" are in it. It cannot state the rules below; there a generated request that fits the schema
# may rightly be refused with a 400, and the operation's requests with valid data (`examples()`) show
# instead that valid data is accepted. Every other check runs on every response of these too.
RULES_NOT_IN_SCHEMA = {
    "POST /api/auth/token/": "the account must exist, the password match, a bureau role add its current TOTP code",
    "GET /api/audit/usage/": "since is not after until",
    "GET /api/departments/": "the parent must be a department that exists",
    "PUT /api/calendar/days/{date}/": "a holiday falls on a working day, a make-up working day on a weekend",
    "POST /api/catalog/imports/": "the file must be the catalog's exported Excel template",
    "POST /api/catalog/duty-changes/": "the department must exist",
    "POST /api/catalog/entries/": "catalog.rules' cross-field rules (a condition for conditional sharing...)",
    "POST /api/open/applications/": "the dataset must exist and be 依申请开放, with no application running",
    "POST /api/open/uploads/": "the file must be a CSV or XLSX table with a header row",
    "POST /api/open/versions/": "the entry, upload or dataset must exist, the items name its columns",
    "POST /api/sharing/applications/": "the entry must exist and be shared, the items its items, the mode one it offers",
    "POST /api/sharing/coordinations/": "the entry must exist and be another department's, not shared",
    "POST /api/sharing/objections/": "the grant must exist and be held, the items its items",
    "POST /api/sharing/scenarios/": "the entry must exist, the items its items",
    "PUT /api/sharing/scenarios/{id}/": "the entry must exist, the items its items",
    "POST /api/catalog/entries/{id}/loads/": "the file must be a CSV or XLSX table with a header row",
    "POST /api/open/applications/{id}/answer/": "a refusal states its reasons",
    "GET /api/sharing/grants/{id}/statistics/": "the grouped items not masked, the measured ones numeric",
    "POST /api/sharing/grants/{id}/statistics/": "the grouped items not masked, the measured ones numeric",
    "POST /api/secops/incidents/": "the departments, users, entries and grants named must exist",
    "POST /api/signatures/verify/": "the evidence file must not be empty (an evidence package is a ZIP)",
    "POST /api/signatures/certificates/issue/": "the department, when named, must exist",
    "GET /api/secops/selfchecks/findings/": "the run and the department filtered on must exist",
    "POST /api/secops/selfchecks/assessments/": "the findings named must exist",
    "GET /api/accounts/users/": "the department filtered on must exist and be one the caller manages",
    "POST /api/accounts/users/": "the username is free; a department role needs a department the caller manages",
    "POST /api/accounts/departments/": "the 统一社会信用代码 has 18 characters and a valid check character",
    "POST /api/catalog/synonyms/": "1-10 synonyms of 1-50 characters each, a term that has no row yet",
}
# The portal answers an action its object's state does not allow with 400 `invalid_transition`
# (docs/conventions.md, state machines: one domain error for illegal transitions), where REST would say 409: the request was
# well formed, the object had moved on (the request with valid data before it had decided it).
# positive_data_acceptance takes that answer as it takes a 409.
STATE_REFUSALS = {"invalid_transition"}

# The module's world is committed once (the server must see it); each test's own transaction (this
# marker) is rolled back and touches nothing: the calls go over HTTP.
pytestmark = pytest.mark.django_db
# Per role, for DELETE /api/auth/token/ (each call revokes the token it is sent with); with the main
# token within accounts.services.tokens.MAX_ACTIVE_TOKENS (20), beyond which the oldest are revoked.
SPARE_TOKENS = 15


def _checks():
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    checks = [CHECKS.get_one(name) for name in CHECKS.get_all_names()]
    original = CHECKS.get_one("positive_data_acceptance")

    def positive_data_acceptance(ctx, response, case):
        if response.status_code == 400 and _code(response) in STATE_REFUSALS:
            return None
        return original(ctx, response, case)

    return [positive_data_acceptance if check is original else check for check in checks]


class Runner:
    """Sends cases as each role, validates them with every check, counts statuses per operation."""

    def __init__(self, *, base, schema, world, tokens, spare):
        self.base, self.schema, self.world = base, schema, world
        self.tokens, self.spare = tokens, spare
        self.checks = _checks()
        self.checks_where_rules_unstated = [c for c in self.checks if c.__name__ != "positive_data_acceptance"]
        self.reached: Counter = Counter()  # (operation, role, status) -> responses
        self.linked: Counter = Counter()  # (operation, the operation its answer linked to, role, status)
        self.failures: dict[str, list[str]] = {}
        self.done: set[str] = set()
        self.session = requests.Session()

    def headers(self, role, op=""):
        if role == "anon":
            return {}
        token = self.issue_token(role) if op == "DELETE /api/auth/token/" else self.tokens[role]
        headers = {"Authorization": f"Token {token}"}
        if role == "public":
            headers["X-API-Key"] = self.world.public_key
        return headers

    def issue_token(self, role):
        if not self.spare[role]:  # used up (the stateful run may revoke many): refused, as a revoked one is
            return "spent"
        return self.spare[role].pop()

    def prepare(self, op, role, case) -> dict:
        """The role's headers; the role's own credentials replace generated ones (schemathesis'
        ignored_auth then probes the operation without them and with wrong ones). A case that carries
        them itself (a linked step: every parameter comes from the scenario) keeps them."""
        if getattr(case, "_has_explicit_auth", False) and "Authorization" in case.headers:
            return dict(case.headers)
        headers = self.headers(role, op)
        if headers:
            for name in ("Authorization", "X-API-Key", "Cookie"):
                case.headers.pop(name, None)
            case.cookies.pop("sessionid", None)
            object.__setattr__(case, "_has_explicit_auth", True)
        return headers

    def send(self, op, role, case, *, expect=None, recorder=None, parent=None):
        """One request, validated; returns the response (None on a network error). With a recorder, the
        request is a step of a scenario (after `parent`): the stateful checks see what came before."""
        headers = self.prepare(op, role, case)
        try:
            response = case.call(base_url=self.base, headers=headers, session=self.session, timeout=60)
        except requests.RequestException as exc:
            self.failures.setdefault(op, []).append(f"{role}: {type(exc).__name__}: {exc}")
            return None
        if recorder is not None:
            recorder.record_case(case=case, parent_id=parent.id if parent is not None else None)
            recorder.record_response(case_id=case.id, response=response)
        self.check(op, role, case, response, headers, expect=expect, recorder=recorder)
        return response

    @cached_property
    def transitions(self):
        """The links between operations that schemathesis infers from the schema (an id in an answer
        to the operations that take it in their path)."""
        from schemathesis.specs.openapi.stateful import collect_transitions

        if self.schema.analysis.should_inject_links():
            self.schema.analysis.inject_links()
        return collect_transitions([result.ok() for result in self.schema.get_all_operations()])

    def follow_links(self, op, role, case, response, recorder):
        """After a request with valid data was answered 2xx: each operation its answer links to that
        takes no body (reads, actions, deletes), with the values the link takes from the answer, as the
        same role, as a step after it (ensure_resource_availability: what was just created is there)."""
        from schemathesis.core.result import Ok
        from schemathesis.core.transforms import UNRESOLVABLE
        from schemathesis.generation.stateful.state_machine import StepOutput
        from schemathesis.specs.openapi.expressions import MultiMatch

        node = self.transitions.operations.get(op)
        for link in node.outgoing if node else ():
            target = link.target
            if str(link.status_code) != str(response.status_code) or (target.method.upper() != "GET" and target.body):
                continue
            transition = link.extract(StepOutput(response, case))
            values = {}
            for container, params in transition.parameters.items():
                for name, param in params.items():
                    value = param.value.ok() if isinstance(param.value, Ok) else None
                    value = value.values[0] if isinstance(value, MultiMatch) and value.values else value
                    if value in (None, UNRESOLVABLE) or isinstance(value, MultiMatch):
                        break
                    values.setdefault(container, {})[name] = value
                else:
                    continue
                break
            else:
                child_case = target.Case(**values)
                if role != "anon":  # the credentials in the case: ensure_resource_availability wants every
                    # parameter of the step set by the scenario (the session cookie too: empty, no session)
                    child_case.headers.update(self.headers(role, target.label))
                    child_case.cookies["sessionid"] = ""
                    object.__setattr__(child_case, "_has_explicit_auth", True)
                child = self.send(target.label, role, child_case, recorder=recorder, parent=case)
                if child is not None:
                    self.linked[(op, target.label, role, child.status_code)] += 1

    def check(self, op, role, case, response, headers, *, expect=None, recorder=None):
        """Counts the answer and runs every check on it (with the scenario's recorder in the stateful run)."""
        failures = self.failures.setdefault(op, [])
        self.reached[(op, role, response.status_code)] += 1
        try:
            checks = self.checks_where_rules_unstated if op in RULES_NOT_IN_SCHEMA else self.checks
            case.validate_response(
                response,
                checks=checks,
                headers=headers,
                recorder=recorder,
                transport_kwargs={"base_url": self.base, "headers": headers, "timeout": 60},
            )
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is reported with its case
            titles = "; ".join(sorted({f.title for f in getattr(exc, "exceptions", ())})) or type(exc).__name__
            failures.append(
                f"{role}: {response.status_code} [{titles}] {case.as_curl_command(headers)}\n{str(exc)[:2500]}"
            )
            if REPORT:
                with open(REPORT, "a", encoding="utf-8") as out:
                    out.write(f"### {op} | {role} | {response.status_code} | {titles}\n{failures[-1]}\n")
        if expect is not None and not expect.accepts(response.status_code):
            failures.append(
                f"{role}: example expected {expect.expect}, got {response.status_code}: "
                f"{case.as_curl_command(headers)}\n{response.text[:800]}"
            )
        if (
            role != "anon"
            and response.status_code in (401, 403)
            and op != "DELETE /api/auth/token/"
            and (_code(response) in ("authentication_failed", "not_authenticated"))
        ):
            self.tokens[role] = self.issue_token(role)  # a case revoked this role's token: the next one

    def run(self, op):
        if op in self.done:
            return self.failures.get(op, [])
        self.done.add(op)
        from schemathesis import GenerationMode

        method, path = op.split(" ", 1)
        operation = self.schema[path][method]
        targets = self.world.targets(op)
        # 1. requests with valid data, each role in turn, each followed by the operations its answer
        # links to; then the scenarios that start with this operation, step after step
        for example in [e for e in examples(self.world) if e.op == op]:
            for role in example.roles:
                recorder = ScenarioRecorder(label=op)
                case = self.example_case(example)
                response = self.send(op, role, case, expect=example, recorder=recorder)
                if response is not None and 200 <= response.status_code < 300:
                    self.follow_links(op, role, case, response, recorder)
        for steps in [c for c in chains(self.world) if c[0].op == op]:
            for role in steps[0].roles:
                recorder, parent = ScenarioRecorder(label=op), None
                for step in steps:
                    case = self.example_case(step)
                    self.send(step.op, role, case, expect=step, recorder=recorder, parent=parent)
                    parent = case
        # 2. generated cases, as every role, on the role's own object and on drawn ids
        negatable = bool(operation.query or operation.body)
        for role in ROLES:
            steered = targets.get(role)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                explicit = steered if steered and (mode == GenerationMode.POSITIVE or negatable) else None
                self._generate(op, role, operation, mode, explicit)
        return self.failures.get(op, [])

    def example_case(self, example):
        method, path = example.op.split(" ", 1)
        body = example.data()
        return self.schema[path][method].Case(
            path_parameters=dict(example.path),
            query=dict(example.query),
            **({"body": body, "media_type": example.media_type or "application/json"} if body is not None else {}),
        )

    def _generate(self, op, role, operation, mode, path_parameters):
        method = op.split(" ", 1)[0]

        @seed(SEED)
        @hsettings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        def cases(case):
            if (
                path_parameters is None
                and method in UNSAFE
                and any(_int_or_none(v) in WORLD_IDS for v in (case.path_parameters or {}).values())
            ):
                return
            self.send(op, role, case)

        try:
            cases()
        except Unsatisfiable:  # nothing to negate in this operation (no query, no body, a fixed path)
            pass


def _code(response):
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    """The fuzz world committed to the test database, gunicorn serving it, one token per role."""
    import schemathesis

    log_dir = tmp_path_factory.mktemp("fuzz-logs")
    with django_db_blocker.unblock():  # committed data, for the server to see; flushed at the end
        from django.contrib.auth.models import Group
        from django.core.management import call_command

        from accounts.services.tokens import token_issue
        from portal.models import CalendarYear
        from portal.services.roles import ensure_role_groups
        from portal.workdays import seed_from_library

        if not CalendarYear.objects.exists():
            seed_from_library()
        if Group.objects.filter(name__in=[r.value for r in Role]).count() != len(Role):
            ensure_role_groups()
        world = FuzzWorld().build()

        tokens = {role: token_issue(actor=user, name="fuzz")[1] for role, user in world.users.items()}
        spare = {
            role: [token_issue(actor=user, name="fuzz-spare")[1] for _ in range(SPARE_TOKENS)]
            for role, user in world.users.items()
        }
        env = servers.portal_env(
            OPEN_DATA_RATE_KEY_PER_MINUTE=10**6,
            OPEN_DATA_RATE_ANONYMOUS_PER_MINUTE=10**6,
            OPEN_DATA_RATE_ADDRESS_PER_MINUTE=10**6,
            LOGIN_FAILURE_LIMIT=10**6,
            LOGIN_ADDRESS_FAILURE_LIMIT=10**6,
            SHARING_RATE_PER_USER="1000000/min",
            SHARING_RATE_PER_GRANT="1000000/min",
            CACHE_KEY_PREFIX=f"sec-fuzz-{os.getpid()}",
            MEDIA_ROOT=tmp_path_factory.mktemp("m"),
        )
        web, base = servers.start_web(env, log_dir, workers=1, threads=4, name="fuzz-web")
        try:
            # issue 17 part 8: the schema is for signed-in staff (any role but the public user's)
            staff = {"Authorization": f"Token {tokens['admin']}"}
            raw = requests.get(base + "/api/schema/?format=json", headers=staff, timeout=60).json()
            schema = schemathesis.openapi.from_dict(raw)
            runner = Runner(base=base, schema=schema, world=world, tokens=tokens, spare=spare)
            yield {"runner": runner, "web": web, "raw": raw}
        finally:
            web.stop()
            call_command("flush", "--noinput", verbosity=0)
            from tests.security.conftest import drop_datastore_tables

            drop_datastore_tables()


def _operations():
    """Operation ids from a schema generated in-process (collection cannot reach the live server)."""
    from django.db import connections
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    connections.close_all()  # collection happens before the test database exists: leave no connection behind
    return sorted(
        f"{method.upper()} {path}"
        for path, item in raw["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


OPERATIONS = _operations()


def test_the_schema_has_every_api_operation():
    assert len(OPERATIONS) > 60
    for expected in (
        "GET /api/catalog/entries/",
        "POST /api/sharing/applications/",
        "GET /api/open/datasets/",
        "GET /api/audit/entries/",
        "POST /api/open/versions/",
    ):
        assert expected in OPERATIONS


@pytest.mark.timeout(600)
@pytest.mark.parametrize("op", OPERATIONS)
def test_fuzz_operation(live, op):
    failures = live["runner"].run(op)
    assert live["web"].alive(), live["web"].tail()
    assert not failures, f"{op}: {len(failures)} failing cases\n" + "\n\n".join(failures[:6])


GRANT_USE = {
    "query": ["GET /api/sharing/grants/{id}/query/", "POST /api/sharing/grants/{id}/query/"],
    "compare": ["POST /api/sharing/grants/{id}/compare/"],
    "statistics": ["GET /api/sharing/grants/{id}/statistics/", "POST /api/sharing/grants/{id}/statistics/"],
    "pull": ["GET /api/sharing/grants/{id}/pull/", "POST /api/sharing/grants/{id}/pull/"],
}
REPUBLISH = "POST /api/open/versions/"


@pytest.mark.timeout(600)
def test_grant_use_and_republishing_reached(live):
    """The run reached grant use in each mode as the holder (B's staff) and re-publishing as the
    data officer with a 2xx, and nobody else was let through."""
    runner = live["runner"]
    for op in [*(op for ops in GRANT_USE.values() for op in ops), REPUBLISH]:
        runner.run(op)

    def count(op, role, ok=True):
        return sum(
            n for (o, r, status), n in runner.reached.items() if o == op and r == role and (200 <= status < 300) == ok
        )

    assert set(GRANT_USE) == set(MODES)
    for ops in GRANT_USE.values():
        for op in ops:
            assert count(op, "other") >= 1, f"{op}: no 2xx as the grant's holder"
            for role in ROLES:
                if role != "other":
                    assert count(op, role) == 0, f"{op}: {role} was let through"
                    assert count(op, role, ok=False) >= 1, f"{op}: {role} never tried"
    # re-publishing: the dataset's department's data officer; every other role refused
    assert count(REPUBLISH, "officer") >= 1
    for role in ROLES:
        if role != "officer":
            assert count(REPUBLISH, role) == 0, f"re-publishing: {role} was let through"


def _steer_body(world, role, body):
    """A generated body's references to other objects, set to the role's own (the entry B applies for,
    the grant B holds, the dataset the public user applies for...), so that creating succeeds and the
    links to what was created are followed."""
    if not isinstance(body, dict):
        return body
    refs = {
        "entry": world.grants["query"].entry_id if role in ("other", "own") else world.entry_to_open.pk,
        "dataset": world.dataset_to_apply.pk if role == "public" else world.dataset.pk,
        "grant": world.grants["query"].pk,
        "upload": world.upload.pk,
        "department": world.dept_b.pk,
    }
    return {**body, **{key: value for key, value in refs.items() if key in body}}


@pytest.mark.timeout(600)
def test_what_was_created_is_found_and_what_was_deleted_is_not(live):
    """The stateful checks had something to judge: answers to valid data were followed along their
    links (an application B submitted read back by B, a key the public user created revoked by it), and
    the day the bureau admin set and removed was looked for after its removal."""
    runner = live["runner"]
    for op in (
        "POST /api/sharing/applications/",
        "POST /api/open/applications/",
        "POST /api/catalog/entries/",
        "PUT /api/calendar/days/{date}/",
    ):
        runner.run(op)
    assert runner.linked[("POST /api/sharing/applications/", "GET /api/sharing/applications/{id}/", "other", 200)]
    assert runner.linked[("POST /api/catalog/entries/", "GET /api/catalog/entries/{id}/", "officer", 200)]
    assert runner.reached[("GET /api/calendar/days/{date}/", "admin", 404)]
    assert not [
        f
        for op in (
            "POST /api/sharing/applications/",
            "GET /api/sharing/applications/{id}/",
            "PUT /api/calendar/days/{date}/",
            "DELETE /api/calendar/days/{date}/",
            "GET /api/calendar/days/{date}/",
        )
        for f in runner.failures.get(op, [])
    ]


@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", ROLES)
def test_fuzz_stateful(live, role):
    """Schemathesis' state machine as one role: sequences of calls with generated positive data (the
    bodies' references steered to the role's objects), links followed where an answer gives an id, and
    every check with the scenario's recorder. The run per operation follows the links of the answers
    to valid data deterministically (Runner.follow_links); this one finds what a random order breaks."""
    import schemathesis
    from schemathesis import GenerationMode

    runner = live["runner"]
    # What creates, changes or deletes an object and what reads one: the searches and lists without a
    # path parameter start no link (the run per operation covers them).
    schema = schemathesis.openapi.from_dict(live["raw"]).include(
        func=lambda ctx: "{" in ctx.operation.path or ctx.operation.method.upper() != "GET"
    )
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])  # negative cases: the run per operation
    world = runner.world

    @schema.hook
    def map_body(context, body):
        return _steer_body(world, role, body)

    failures_before = {op: len(f) for op, f in runner.failures.items()}
    steps = []

    class Scenario(schema.as_state_machine()):
        def before_call(self, case):
            self._headers = runner.prepare(case.operation.label, role, case)

        def get_call_kwargs(self, case):
            return {"base_url": runner.base, "headers": self._headers, "session": runner.session, "timeout": 60}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            steps.append((case.operation.label, response.status_code))
            runner.check(case.operation.label, role, case, response, self._headers, recorder=self.recorder)

    Scenario.run(
        settings=hsettings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    assert live["web"].alive(), live["web"].tail()
    assert len(steps) >= STATEFUL_EXAMPLES, f"{role}: {len(steps)} steps"
    new = [f for op, found in runner.failures.items() for f in found[failures_before.get(op, 0) :]]
    assert not new, f"{role}: {len(new)} failing cases\n" + "\n\n".join(new[:6])
