"""Development: `scripts/dev.py run`. DEBUG only when the environment says DEBUG=true (SECURITY.md 14.16:
a copy run with these settings on a reachable address must not show tracebacks and settings)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
