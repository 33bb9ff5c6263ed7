"""What one client address may do, whatever account it names (SECURITY.md 14.5): fail to sign in at most
LOGIN_ADDRESS_FAILURE_LIMIT times within LOGIN_ADDRESS_WINDOW_MINUTES (web, admin and API token
alike), and ask for at most PASSWORD_RESETS_PER_HOUR password-reset e-mails an hour. The address is
always portal.request_context.client_ip's (SECURITY.md 14.8), and a bureau admin lifts both limits of an
address at once (accounts.services.signin.signin_unlock).

Sign-in failures are counted in django-axes' table (AccessAttempt: one row per user name, address
and browser, with its failure count and the time of the latest), in PostgreSQL like the account
lock, so the limit holds when Redis is down. Reset requests are counted in Redis per hour and fail
open: a down cache must not stop a citizen from getting back into an account, and the reset mail
only ever goes to the account's own address.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

logger = logging.getLogger(__name__)


def address_window_start(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)


def address_failures(address: str | None, *, now: dt.datetime | None = None) -> int:
    """Failed sign-ins from the address within the window, over every user name it tried."""
    if not address:
        return 0
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=address_window_start(now)).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_blocked(address: str | None) -> bool:
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return bool(limit) and address_failures(address) >= limit


def _reset_key(address: str | None, hour: int) -> str:
    return f"password-reset:{address or 'unknown'}:{hour}"


def reset_requests_allowed(address: str | None) -> bool:
    """Counts one password-reset request of the address; False past PASSWORD_RESETS_PER_HOUR this hour."""
    key = _reset_key(address, int(time.time() // 3600))
    try:
        cache.add(key, 0, timeout=7200)
        return cache.incr(key) <= settings.PASSWORD_RESETS_PER_HOUR
    except Exception:  # Redis unavailable
        logger.warning("password reset limit: cache unavailable", exc_info=True)
        return True


def forget_password_resets(address: str) -> None:
    """The bureau admin's unlock of an address lifts its reset limit too."""
    hour = int(time.time() // 3600)
    try:
        cache.delete_many([_reset_key(address, hour), _reset_key(address, hour - 1)])
    except Exception:  # Redis unavailable: nothing is counted then either
        logger.warning("password reset limit: cache unavailable", exc_info=True)
