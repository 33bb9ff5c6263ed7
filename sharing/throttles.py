"""Rate limits of grant use (SECURITY.md 14.6): Django REST framework's scoped throttles, counted in Redis
(the default cache), applied to the API's use actions and, through `wait_for`, to the use pages.

- per user: RATE_PER_USER (setting SHARING_RATE_PER_USER, default 60/min) over all grants;
- per grant and department: RATE_PER_GRANT (SHARING_RATE_PER_GRANT, default 120/min) shared by the
  users of one department on one grant — keyed by the department too, so that another department's
  refused probes cannot use up the holder's allowance.

A refusal is 429 with a Chinese message and Retry-After, recorded as denied (the first of each
window, sharing.services.limits.record_throttled). When Redis is unreachable the limits let calls
through (the daily quotas, counted in PostgreSQL, still hold).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import redis
from rest_framework.throttling import SimpleRateThrottle

from sharing.conf import setting
from sharing.services import limits

USE_ACTIONS = ("query", "compare", "statistics", "pull")


class _GrantUseThrottle(SimpleRateThrottle):
    rate_setting = ""
    channel = "api"

    def get_rate(self):
        return setting(self.rate_setting)

    def allow_request(self, request, view):
        try:
            allowed = super().allow_request(request, view)
        except redis.RedisError:
            return True
        if not allowed and self.key:
            mode = getattr(view, "action", None) or getattr(view, "mode", "")
            limits.record_throttled(
                actor=request.user,
                grant_id=view.kwargs.get("pk"),
                mode=mode,
                channel=getattr(view, "channel", self.channel),
                scope=self.scope,
                wait=math.ceil(self.wait() or 1),
                key=self.key,
            )
        return allowed

    def get_cache_key(self, request, view):
        user = request.user
        if not user.is_authenticated or getattr(view, "action", None) not in (*USE_ACTIONS, None):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.ident(user, view)}


class GrantUserThrottle(_GrantUseThrottle):
    scope = "sharing_use_user"
    rate_setting = "RATE_PER_USER"

    def ident(self, user, view) -> str:
        return str(user.pk)


class GrantThrottle(_GrantUseThrottle):
    scope = "sharing_use_grant"
    rate_setting = "RATE_PER_GRANT"

    def ident(self, user, view) -> str:
        return f"{str(view.kwargs.get('pk'))[:20]}_{user.department_id or 0}"


THROTTLES = (GrantUserThrottle, GrantThrottle)


def wait_for(*, request, grant_id: int, mode: str, channel: str = "web") -> int | None:
    """For the pages: None if this use may go ahead, else the seconds to wait (the refusal recorded)."""
    view = SimpleNamespace(kwargs={"pk": grant_id}, action=None, mode=mode, channel=channel)
    waits = []
    for throttle_class in THROTTLES:
        throttle = throttle_class()
        if not throttle.allow_request(request, view):
            waits.append(throttle.wait() or 1)
    return math.ceil(max(waits)) if waits else None
