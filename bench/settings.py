"""Settings of the benchmarks: production's (config.settings.production, as docker compose runs
them; bench/runner.py sets the environment: plain http on loopback, DEBUG off, own database,
Redis key prefix and Celery queue) with one change that does not touch what is measured:
static files are hashed but not pre-compressed (whitenoise's compression of every asset takes
minutes on two cores and only matters to browsers fetching assets)."""

from config.settings.production import *  # noqa: F403
from config.settings.production import BASE_DIR, DATABASES, ENCRYPTION, OPEN_DATA, SHARING, STORAGES, env

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}

# The portal's URLs plus the bare view that B3 measures as its baseline (bench/urls.py).
ROOT_URLCONF = "bench.urls"

# The benchmarks measure what the portal serves, from one loopback address and a few accounts: the
# limits of SECURITY.md 14.6 / 14.11 (60 grant calls a minute per user, 60 anonymous downloads a minute per
# address, daily quotas) would turn most of B3's and B8's requests into 429s. They stay switched on
# (their Redis counting is part of every request's cost) with bounds no benchmark reaches. The grant
# throttles' window is one second: DRF keeps every request time of the window in the cache, and a
# minute of B3 from one user would be a list of thousands (in production the limit keeps it at 60).
SHARING = {
    **SHARING,
    "RATE_PER_USER": "100000/s",
    "RATE_PER_GRANT": "100000/s",
    "DAILY_CALLS": 10**9,
    "DAILY_ROWS": 10**12,
    "COMPARES_PER_RECORD": 10**6,
}
OPEN_DATA = {
    **OPEN_DATA,
    "RATE_ANONYMOUS_PER_MINUTE": 1_000_000,
    "RATE_ADDRESS_PER_MINUTE": 1_000_000,
    "RATE_KEY_PER_MINUTE": 1_000_000,
}

# The embedded PostgreSQL on loopback has no TLS (production's default is sslmode=require): set
# DATABASE_SSLMODE to measure over TLS against a server that has it.
DATABASES["default"]["OPTIONS"]["sslmode"] = env("DATABASE_SSLMODE", default="disable")
# Encryption at rest: the run's own master key, made on first use under .data/<BENCH_NAME>/.
ENCRYPTION["MASTER_KEY_FILE"] = env(
    "ENCRYPTION_MASTER_KEY_FILE", default=str(BASE_DIR / ".data" / env("BENCH_NAME", default="bench") / "master.key")
)
ENCRYPTION["GENERATE_MASTER_KEY"] = True
