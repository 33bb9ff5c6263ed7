"""Locked accounts and blocked client addresses, and the bureau admin's unlock (SECURITY.md 14.5).

The locks themselves are django-axes' rows (accounts.lockout): an account is locked while its
failures within the cool-off reach LOGIN_FAILURE_LIMIT, an address while its failures within
LOGIN_ADDRESS_WINDOW_MINUTES reach LOGIN_ADDRESS_FAILURE_LIMIT. Unlocking deletes the rows that
count, as axes' own reset does, and clears the address's password-reset count; the audit entry
keeps what was unlocked, by whom.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.address_limits import address_window_start, forget_password_resets
from audit.services import record
from portal.errors import DomainError
from portal.models import User
from portal.permissions import require

UNLOCK = "axes.delete_accessattempt"


@dataclass(frozen=True)
class Lock:
    key: str  # the user name or the address
    failures: int
    latest: dt.datetime


def locked_accounts(*, now: dt.datetime | None = None) -> list[Lock]:
    """User names whose failures (within the cool-off, if there is one) reach the account limit."""
    rows = AccessAttempt.objects.exclude(username__isnull=True).exclude(username="")
    if settings.AXES_COOLOFF_TIME:
        rows = rows.filter(attempt_time__gte=(now or timezone.now()) - settings.AXES_COOLOFF_TIME)
    grouped = (
        rows.values("username")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-latest")
    )
    return [Lock(g["username"], g["failures"], g["latest"]) for g in grouped[:200]]


def blocked_addresses(*, now: dt.datetime | None = None) -> list[Lock]:
    """Client addresses whose failures within the window reach the address limit."""
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if not limit:
        return []
    grouped = (
        AccessAttempt.objects.filter(ip_address__isnull=False, attempt_time__gte=address_window_start(now))
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-latest")
    )
    return [Lock(g["ip_address"], g["failures"], g["latest"]) for g in grouped[:200]]


def _normalised_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        message = _("请输入有效的 IP 地址。")
        raise DomainError(message, code="invalid_address", errors={"address": [message]}) from None


def signin_unlock(*, actor: User, username: str = "", address: str = "") -> int:
    """A bureau admin unlocks an account (every address it was tried from) or a client address
    (every user name tried from it); returns how many attempt rows were cleared."""
    require(actor, UNLOCK)
    username = (username or "").strip()
    if bool(username) == bool((address or "").strip()):
        message = _("请填写要解锁的用户名或网络地址（二选一）。")
        raise DomainError(message, code="invalid_unlock", errors={"__all__": [message]})
    with transaction.atomic():
        if username:
            rows = AccessAttempt.objects.select_for_update().filter(username=username)
            target = ("axes.username", username[:64], username)
            action = "auth.unlock.account"
        else:
            address = _normalised_address(address)
            rows = AccessAttempt.objects.select_for_update().filter(ip_address=address)
            target = ("axes.ip_address", address, address)
            action = "auth.unlock.address"
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            AccessAttempt.objects.filter(pk__in=ids).delete()
        record(action, actor=actor, target=target, detail={"attempts_cleared": len(ids)})
    if not username:
        forget_password_resets(address)
    return len(ids)
