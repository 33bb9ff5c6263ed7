import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """Rate limits count per client address in Redis: each test starts with fresh counters."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sec-matrix-{uuid.uuid4().hex[:8]}"},
    }
    settings.OPEN_DATA = {
        **settings.OPEN_DATA,
        "RATE_ADDRESS_PER_MINUTE": 10**6,
        "RATE_ANONYMOUS_PER_MINUTE": 10**6,
        "RATE_KEY_PER_MINUTE": 10**6,
    }
