import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty rate-limit windows (the keys carry this run's cache prefix)."""
    from openness import ratelimit

    client = ratelimit._client()
    keys = list(client.scan_iter(match=f"{ratelimit._prefix()}:open:*", count=1000))
    if keys:
        client.delete(*keys)
    yield
