"""SECURITY.md 14.16, 14.18, 14.19: what every settings module gives, the API's JSON-only answers, the
admin site by client address, seed_demo refused in production, Redis with a password."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from audit.models import AuditEntry
from tests.audit.routes import all_routes
from tests.security import servers
from tests.security.route_args import args_for
from tests.security.world import World

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {"SECRET_KEY": "x" * 60 + "-sec-test-Aa1!", "ALLOWED_HOSTS": "testserver"}
SETTINGS_SCRIPT = """
import json
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "app_role": settings.AUDIT_USE_APP_DB_ROLE,
    "renderers": settings.REST_FRAMEWORK.get("DEFAULT_RENDERER_CLASSES"),
    "negotiation": settings.REST_FRAMEWORK.get("DEFAULT_CONTENT_NEGOTIATION_CLASS"),
    "demo": settings.DEMO_DATA_ALLOWED,
    "admin_networks": settings.ADMIN_ALLOWED_NETWORKS,
}))
"""


def settings_of(module: str, **env) -> dict:
    environment = servers.portal_env(DJANGO_SETTINGS_MODULE=module, **env)
    for name in ("DEBUG", "AUDIT_USE_APP_DB_ROLE", "DEMO_DATA_ALLOWED", "ADMIN_ALLOWED_NETWORKS"):
        if name not in env:
            environment.pop(name, None)  # each module's own default
    result = subprocess.run(
        [servers.PYTHON, "-c", SETTINGS_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.test", "config.settings.production"])
def test_every_settings_module_runs_as_the_application_role_with_a_json_only_api_and_debug_off(module):
    found = settings_of(module, **(PRODUCTION if module.endswith("production") else {}))
    assert found["app_role"] is True  # 14.18
    assert found["renderers"] == ["rest_framework.renderers.JSONRenderer"]  # 14.19
    assert found["negotiation"] == "portal.api.negotiation.JSONFallbackNegotiation"
    assert found["debug"] is False  # 14.16: unless DEBUG=true is set
    assert found["admin_networks"] == []  # no restriction unless configured


def test_local_settings_turn_debug_on_only_when_asked():
    assert settings_of("config.settings.local", DEBUG="true")["debug"] is True
    assert settings_of("config.settings.local")["debug"] is False


def test_production_settings_refuse_demo_data_whatever_the_environment_says():
    assert settings_of("config.settings.production", **PRODUCTION, DEMO_DATA_ALLOWED="true")["demo"] is False
    assert settings_of("config.settings.local")["demo"] is True


# --- 14.19: the API answers JSON, never DRF's browsable HTML --------------------------------------
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HTML_ALLOWED = {"api_docs"}  # Swagger UI: drf-spectacular's own page, which loads /api/schema/


def _api_get_routes():
    return [r for r in all_routes() if r.pattern.startswith("api/") and r.key not in HTML_ALLOWED]


@pytest.mark.django_db
@pytest.mark.timeout(900)
def test_every_api_route_answers_json_never_html_to_browsers_and_format_api(settings):
    """Every GET route under /api/, as nobody and as a signed-in user, opened as a browser does and
    with ?format=api: never text/html (DRF's browsable page answered all of them)."""
    settings.OPEN_DATA = {**settings.OPEN_DATA, "RATE_ADDRESS_PER_MINUTE": 10**6, "RATE_ANONYMOUS_PER_MINUTE": 10**6}
    world = World().build()
    clients = {"anon": Client(), "own": Client(), "admin": Client()}
    clients["own"].force_login(world.users["own"])
    clients["admin"].force_login(world.users["admin"])
    problems, checked = [], 0
    for route in _api_get_routes():
        variants = args_for(route.key) if route.params else {"": lambda w: {}}
        if not variants:
            problems.append(f"{route.key}: no URL arguments (tests/security/route_args.py)")
            continue
        for make in variants.values():
            path = route.path(make(world))
            for who, client in clients.items():
                for query, accept in (
                    ({}, BROWSER_ACCEPT),
                    ({"format": "api"}, BROWSER_ACCEPT),
                    ({"format": "api"}, "text/html"),
                ):
                    response = client.get(path, query, HTTP_ACCEPT=accept)
                    checked += 1
                    content_type = response.get("Content-Type", "")
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    if "html" in content_type or body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
                        problems.append(
                            f"GET {path} {query} Accept {accept[:9]} as {who}: {response.status_code} {content_type}"
                        )
    assert checked > 300, checked
    assert not problems, "API answers in HTML:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_api_root_gives_a_browser_the_same_json_as_a_client(officer):
    client = Client()
    client.force_login(officer)
    plain = client.get("/api/", HTTP_ACCEPT="application/json")
    for query, accept in (({}, BROWSER_ACCEPT), ({"format": "api"}, BROWSER_ACCEPT), ({}, "text/html")):
        response = client.get("/api/", query, HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert response.json().keys() == plain.json().keys()  # the links keep ?format= (DRF's reverse)


@pytest.mark.django_db
def test_swagger_ui_still_works(staff):
    client = Client()
    client.force_login(staff)  # issue 17 part 8: the internal API's docs are for signed-in staff
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "text/html" in docs["Content-Type"]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "openapi" in json.loads(schema.content)


# --- 14.16: /admin/ by client address --------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_is_refused_and_audited_outside_the_allowed_networks(settings, bureau_admin):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16", "192.0.2.7"]
    outside = Client(REMOTE_ADDR="198.51.100.9")
    outside.force_login(bureau_admin)
    response = outside.get("/admin/")
    assert response.status_code == 403
    assert "后台管理只能从允许的网络访问" in response.content.decode()
    entry = AuditEntry.objects.get(action="admin.address_denied")
    assert entry.outcome == "denied" and entry.actor_id == bureau_admin.pk
    assert str(entry.client_ip) == "198.51.100.9" and entry.detail["path"] == "/admin/"
    assert Client(REMOTE_ADDR="198.51.100.9").get("/admin/login/").status_code == 403  # its sign-in page too
    assert (
        Client(REMOTE_ADDR="198.51.100.9").post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403
    )
    assert AuditEntry.objects.filter(action="admin.address_denied").count() == 3
    for address in ("10.20.3.4", "192.0.2.7"):
        inside = Client(REMOTE_ADDR=address)
        inside.force_login(bureau_admin)
        assert inside.get("/admin/").status_code == 200, address
    assert Client(REMOTE_ADDR="198.51.100.9").get("/").status_code == 200  # the rest of the portal is not concerned


@pytest.mark.django_db
def test_without_allowed_networks_the_admin_is_not_restricted_by_address(settings, bureau_admin):
    settings.ADMIN_ALLOWED_NETWORKS = []
    client = Client(REMOTE_ADDR="198.51.100.9")
    client.force_login(bureau_admin)
    assert client.get("/admin/").status_code == 200
    assert not AuditEntry.objects.filter(action="admin.address_denied").exists()


def test_a_malformed_network_stops_the_start(settings):
    from config.admin_access import AdminAddressMiddleware

    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="ADMIN_ALLOWED_NETWORKS"):
        AdminAddressMiddleware(lambda request: None)


# --- 14.16: seed_demo ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_seed_demo_is_refused_when_demo_data_is_not_allowed(settings):
    from portal.models import Department, User

    settings.DEMO_DATA_ALLOWED = False
    departments, users = Department.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo")
    assert (Department.objects.count(), User.objects.count()) == (departments, users)


def test_seed_demo_exits_nonzero_with_the_production_settings():
    env = servers.portal_env(DJANGO_SETTINGS_MODULE="config.settings.production", **PRODUCTION)
    result = servers.manage("seed_demo", env=env, check=False)
    assert result.returncode != 0
    assert "DEMO_DATA_ALLOWED" in result.stderr, result.stderr[-2000:]


# --- 14.16: Redis with a password in docker compose -----------------------------------------------
def test_docker_compose_runs_redis_with_a_password_from_the_environment():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    redis = compose["services"]["redis"]
    command = " ".join(redis["command"]) if isinstance(redis["command"], list) else redis["command"]
    assert "--requirepass ${REDIS_PASSWORD" in command
    assert redis["environment"]["REDISCLI_AUTH"].startswith("${REDIS_PASSWORD")  # the health check's redis-cli
    url = compose["x-app"]["environment"]["REDIS_URL"]
    assert url.startswith("redis://:${REDIS_PASSWORD") and url.endswith("@redis:6379/0")
