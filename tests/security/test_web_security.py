"""Web security (SECURITY.md, web security): CSRF on every form and every state-changing route, security headers and a
Content-Security-Policy without 'unsafe-inline' scripts under the production settings, secure cookies,
`check --deploy` clean, no user enumeration through sign-in messages, API tokens stored hashed."""

from __future__ import annotations

import json
import random
import re

import pytest
from django.db import connection
from django.test import Client

from tests.audit.routes import all_routes
from tests.factories import PASSWORD
from tests.security import servers
from tests.security.matrix.outcomes import Callers
from tests.security.matrix.registry import BODIES, rows_for
from tests.security.route_args import args_for
from tests.security.world import COLUMNS, World

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post""", re.I)
# Routes that take no session and so need no CSRF token: the API sign-in exchanges credentials for a
# token (no cookie is involved). Every other POST is refused without the token.
CSRF_FREE = {"api_token"}
# CKAN's action API (interop.ckan) answers reads only — every action it serves is a *_show, *_list or
# *_search — and ckanapi sends them as POSTs of JSON without a session: no write for CSRF to protect.
CSRF_FREE_PREFIXES = ("ckan-",)


@pytest.fixture
def world(settings, tmp_path):
    import uuid

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sec-web-{uuid.uuid4().hex[:8]}"},
    }
    settings.OPEN_DATA = {
        **settings.OPEN_DATA,
        "RATE_ADDRESS_PER_MINUTE": 10**6,
        "RATE_ANONYMOUS_PER_MINUTE": 10**6,
        "RATE_KEY_PER_MINUTE": 10**6,
    }
    return World()


def _walk(world, method):
    """(route, variant, path, column, expected row) for each matrix row of `method` a column may use."""
    for route in all_routes():
        variants = args_for(route.key) if route.params else {"": lambda w: {}}
        for _name, variant, row_method, expected in rows_for(route):
            if row_method != method or variants is None or variant not in variants:
                continue
            path = route.path(variants[variant](world))
            for column in COLUMNS:
                if expected[column] == "+":
                    yield route, variant, path, column


@pytest.mark.slow  # every page as every role: about a minute
def test_every_post_form_on_every_page_carries_a_csrf_token(world):
    world.build()
    callers = Callers(world)
    problems, forms = [], 0
    for route, _variant, path, column in _walk(world, "get"):
        if route.key.startswith("admin") and route.key not in (
            "admin:index",
            "admin:portal_user_changelist",
            "admin:portal_department_add",
        ):
            continue
        response = callers.call(column, "get", path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM.findall(response.content.decode(errors="replace")):
            opening = form[: form.index(">") + 1]
            if POST_METHOD.search(opening):
                forms += 1
                if "csrfmiddlewaretoken" not in form:
                    problems.append(f"{path} as {column}: {opening}")
    assert forms > 50, forms
    assert not problems, "POST forms without a CSRF token:\n" + "\n".join(sorted(set(problems)))


def test_every_state_changing_route_refuses_a_post_without_its_csrf_token(world):
    """Each write a column may make (the matrix's + cells) is refused with 403 when the token is missing."""
    world.build()
    problems, checked = [], 0
    seen = set()
    for method in ("post", "put", "patch", "delete"):
        for route, variant, path, column in _walk(world, method):
            if route.key in CSRF_FREE or route.key.startswith(CSRF_FREE_PREFIXES) or (path, method) in seen:
                continue
            seen.add((path, method))
            client = Client(enforce_csrf_checks=True)
            if column != "anon":
                client.force_login(world.users[column])
            body = BODIES.get((route.key, variant, method))
            data = body(world) if body else {}
            if isinstance(data, str) or method != "post":
                response = getattr(client, method)(
                    path, data if isinstance(data, str) else json.dumps(data), content_type="application/json"
                )
            else:
                response = client.post(path, data)
            checked += 1
            if response.status_code != 403:
                problems.append(f"{method.upper()} {path} as {column}: {response.status_code}")
    assert checked > 80, checked
    assert not problems, "writes accepted without a CSRF token:\n" + "\n".join(problems)


# --- production settings ---------------------------------------------------------------------------
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 60 + "-sec-test-Aa1!",
    "ALLOWED_HOSTS": "testserver,portal.example.gov.cn",
    "DEBUG": "false",
}

HEADERS_SCRIPT = """
import json
from django.test import Client
from portal.models import User
out = {}
client = Client()
plain = client.get('/accounts/login/')
out['http_redirect'] = [plain.status_code, plain.get('Location', '')]
secure = client.get('/accounts/login/', secure=True)
out['status'] = secure.status_code
out['headers'] = {k: v for k, v in secure.items()}
out['cookies'] = {name: {k: str(m[k]) for k in ('secure', 'httponly', 'samesite')} for name, m in secure.cookies.items()}
user = User.objects.filter(is_active=True).first()
client.force_login(user)
home = client.get('/', secure=True)
out['session_cookie'] = {k: str(client.cookies['sessionid'][k]) for k in ('secure', 'httponly', 'samesite')}
print(json.dumps(out))
"""


@pytest.mark.django_db(transaction=True)
def test_production_settings_send_security_headers_a_strict_csp_and_secure_cookies(world):
    world.users  # noqa: B018 - a user to sign in
    env = servers.portal_env(**{**PRODUCTION, "DJANGO_SETTINGS_MODULE": "tests.security.production_settings"})
    out = json.loads(servers.run_python(HEADERS_SCRIPT, env=env).strip().splitlines()[-1])
    assert out["http_redirect"][0] == 301 and out["http_redirect"][1].startswith("https://")
    assert out["status"] == 200
    headers = {k.lower(): v for k, v in out["headers"].items()}
    policy = headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    default_src = next(p for p in policy.split(";") if p.strip().startswith("default-src"))
    assert "unsafe-inline" not in default_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert out["cookies"]["csrftoken"]["secure"] == "True" and out["cookies"]["csrftoken"]["samesite"] == "Lax"
    assert out["session_cookie"] == {"secure": "True", "httponly": "True", "samesite": "Lax"}


def _check_deploy():
    env = servers.portal_env(**PRODUCTION)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/conftest.py for Playwright, never in production
    result = servers.manage("check", "--deploy", env=env, check=False)
    issues = re.findall(r"^\?: \((\w+\.[WE]\d+)\) (.*)$", result.stdout + result.stderr, re.M)
    return result, issues


def test_check_deploy_reports_no_error_and_no_warning_but_the_documented_ones():
    result, issues = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    unexpected = [f"{code} {text}" for code, text in issues if code != "security.W021"]
    assert not unexpected, "\n".join(unexpected)


def test_check_deploy_is_clean():
    """Nothing but W021 (HSTS preload is the city's decision, README), schema warnings included."""
    _result, issues = _check_deploy()
    assert {code for code, _text in issues} <= {"security.W021"}, issues


# --- no user enumeration -----------------------------------------------------------------------------
def test_sign_in_answers_the_same_for_a_wrong_password_and_an_unknown_account(world):
    known = world.users["own"].username
    page = {
        name: Client().post("/accounts/login/", {"username": name, "password": "Wrong#2026x"})
        for name in (known, "nobody_here_2026")
    }
    assert page[known].status_code == page["nobody_here_2026"].status_code == 200

    def message(response):
        return _normalised(response.content.decode(), known, "nobody_here_2026")

    assert message(page[known]) == message(page["nobody_here_2026"])
    api = {
        name: Client().post(
            "/api/auth/token/", {"username": name, "password": "Wrong#2026x"}, content_type="application/json"
        )
        for name in (known, "nobody_here_2026")
    }
    assert api[known].status_code == api["nobody_here_2026"].status_code == 400
    assert api[known].json() == api["nobody_here_2026"].json()


def test_lock_out_looks_the_same_for_an_unknown_account(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    answers = {}
    for name in (world.users["other"].username, "nobody_here_2027"):
        client = Client()
        for _ in range(4):
            response = client.post("/accounts/login/", {"username": name, "password": "Wrong#2026x"})
        answers[name] = (response.status_code, _normalised(response.content.decode(), name))
    assert answers[world.users["other"].username] == answers["nobody_here_2027"]
    assert answers["nobody_here_2027"][0] in (403, 429)


def _normalised(html, *names):
    """The page without what differs between any two requests: CSRF tokens and the name typed in."""
    html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)
    for name in names:
        html = html.replace(name, "NAME")
    return re.sub(r"\s+", " ", html)


def test_password_reset_and_registration_answer_the_same_for_known_and_unknown_addresses(world):
    from django.core import mail

    known = world.users["public"]
    assert known.email

    def page(path, data):  # a new client address each time: the hourly limits count per address
        client = Client(REMOTE_ADDR=f"10.{random.randrange(250)}.{random.randrange(250)}.{random.randrange(1, 250)}")
        response = client.post(path, data)
        if response.status_code == 302:
            response = client.get(response["Location"])
        return response.status_code, _normalised(response.content.decode(), known.email, "nobody_2026@example.com")

    reset = {
        email: page("/accounts/password/reset/", {"email": email}) for email in (known.email, "nobody_2026@example.com")
    }
    assert reset[known.email] == reset["nobody_2026@example.com"]
    assert [m.to for m in mail.outbox] == [[known.email]]  # only the account's owner hears of it
    form = {"real_name": "某人", "phone": "13812345678", "password1": "Kaifang#2026", "password2": "Kaifang#2026"}
    registered = {
        email: page("/open/register/", {**form, "email": email}) for email in (known.email, "nobody_2026@example.com")
    }
    assert registered[known.email] == registered["nobody_2026@example.com"]
    assert registered[known.email][0] == 200


# --- API tokens ------------------------------------------------------------------------------------
def test_api_tokens_are_stored_hashed(world):
    user = world.users["officer"]
    response = Client().post(
        "/api/auth/token/", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('character varying', 'text') AND table_name LIKE '%%token%%'"
        )
        columns = cursor.fetchall()
        assert columns
        for table, column in columns:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s OR "{column}" LIKE %s', [key, f"%{key[8:]}%"]
            )
            assert cursor.fetchone()[0] == 0, f"{table}.{column} holds the token"
    me = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200 and me.json()["username"] == user.username
