"""Settings of the benchmarks: production's (portal.settings.production, as docker compose runs
them; bench/runner.py sets the environment: plain http on loopback, DEBUG off, own database,
Redis key prefix and Celery queue) with one change that does not touch what is measured:
static files are hashed but not pre-compressed (whitenoise's compression of every asset takes
minutes on two cores and only matters to browsers fetching assets)."""
from portal.settings.production import *  # noqa: F401,F403
from portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}

# The portal's URLs plus the bare view that B3 measures as its baseline (bench/urls.py).
ROOT_URLCONF = "bench.urls"
