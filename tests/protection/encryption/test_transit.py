"""In transit: the production settings and docker compose use TLS to PostgreSQL (verify-full
possible) and a password for Redis (TLS with rediss://); production never generates a master key."""

import json
import subprocess
from pathlib import Path

import yaml

from tests.security import servers

ROOT = Path(__file__).resolve().parent.parent.parent.parent
SCRIPT = """
import json
from django.conf import settings
print(json.dumps({"db": settings.DATABASES["default"].get("OPTIONS", {}),
                  "broker_ssl": str(getattr(settings, "CELERY_BROKER_USE_SSL", None)),
                  "generate": settings.ENCRYPTION["GENERATE_MASTER_KEY"]}))
"""


def production(**env) -> dict:
    environment = servers.portal_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60 + "-sec-test-Aa1!",
        ALLOWED_HOSTS="testserver",
        **env,
    )
    environment.pop("DATABASE_SSLMODE", None)  # the module's own default
    environment.update(dict(env.items()))
    result = subprocess.run(
        [servers.PYTHON, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_require_tls_to_postgresql_and_can_verify_it():
    found = production()
    assert found["db"]["sslmode"] == "require" and found["generate"] is False
    verified = production(DATABASE_SSLMODE="verify-full", DATABASE_SSLROOTCERT="/run/secrets/pg-ca.pem")
    assert verified["db"] == {"sslmode": "verify-full", "sslrootcert": "/run/secrets/pg-ca.pem"}
    tls = production(REDIS_URL="rediss://:secret@redis:6380/0", REDIS_SSL_CA_CERTS="/run/secrets/redis-ca.pem")
    assert "CERT_REQUIRED" in tls["broker_ssl"] and "redis-ca.pem" in tls["broker_ssl"]


def test_docker_compose_turns_tls_on_and_asks_for_the_master_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app = compose["x-app"]["environment"]
    assert app["DATABASE_SSLMODE"].startswith("${DATABASE_SSLMODE:-require")
    assert app["ENCRYPTION_KEY_PROVIDER"] == "env" and app["ENCRYPTION_MASTER_KEY"].startswith(
        "${ENCRYPTION_MASTER_KEY:?"
    )
    command = " ".join(compose["services"]["db"]["command"])
    assert "ssl=on" in command and "ssl_cert_file=" in command and "ssl_key_file=" in command
    assert "--requirepass" in " ".join(compose["services"]["redis"]["command"])
