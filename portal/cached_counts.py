"""Counts kept a short time in the Django cache (Redis) and retired together when their rows change.

A generation number in the cache stamps every stored count. A change bumps it at once and again when
its transaction commits: a page that read the new number before the commit counted the old rows, and
the second bump retires what it stored. The time limit bounds what a change made outside the ORM's
saves (raw SQL, queryset updates, bulk loads) leaves stale.

Redis being down never fails a page or a write: the count is computed, the bump skipped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


class CachedCounts:
    def __init__(self, name: str, *, seconds: int):
        self.name = name
        self.seconds = seconds
        self.generation_key = f"{name}:generation"

    def get(self, key: str, count: Callable[[], object]):
        """The value stored for `key` in the current generation, else count() (then stored)."""
        key = f"{self.name}:{key}"
        try:
            stored = cache.get_many([self.generation_key, key])
            generation = stored.get(self.generation_key)
            if generation is None:  # first use, or evicted: a number no earlier generation had
                cache.add(self.generation_key, time.time_ns(), None)
                generation = cache.get(self.generation_key)
            elif key in stored and stored[key][0] == generation:
                return stored[key][1]
        except redis.RedisError:
            logger.warning("%s: Redis unavailable, counted without the cache", self.name, exc_info=True)
            return count()
        value = count()
        try:
            # Under the generation read before counting: a change committed meanwhile has retired it.
            cache.set(key, (generation, value), self.seconds)
        except redis.RedisError:
            logger.warning("%s: Redis unavailable, count not kept", self.name, exc_info=True)
        return value

    def forget(self) -> None:
        """Retire every stored count (now, and when the current transaction commits)."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        try:
            try:
                cache.incr(self.generation_key)
            except ValueError:  # not there: a number no earlier generation had
                cache.set(self.generation_key, time.time_ns(), None)
        except redis.RedisError:
            logger.warning(
                "%s: Redis unavailable, counts not retired (they expire within %s s)",
                self.name,
                self.seconds,
                exc_info=True,
            )
