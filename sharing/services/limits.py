"""How much a grant may be used (SECURITY.md 14.6, 14.3): daily quotas per grant, 比对 calls per record,
and the recording of rate-limit refusals.

Lhasa art. 22 and seed 004 (minimum use): the provider sets, when granting, how many uses a day and
how many rows a day (查阅 and 获取) the holder may take; blank is the portal's default. A 比对 grant
answers "match / no match" for a value the holder brings, so trying value after value for one record
would find a masked value: a record (key value) may be compared only COMPARES_PER_RECORD times a
grant and day. Quotas are counted from the usage log at each use, under a per-grant advisory lock
taken just before the use is recorded, so uses at the same moment cannot pass a quota together.
"""

from __future__ import annotations

import datetime as dt
import math

import redis
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit.services import record
from portal.models import User
from sharing.conf import setting
from sharing.models import Grant, GrantUse, Mode
from sharing.services.refusals import QuotaExceededError, Refused, deny

# classid of pg_advisory_xact_lock(int, int) for a grant's quota (objid: the grant's id); the two-key
# lock space does not overlap the one-key locks of the audit jobs.
QUOTA_LOCK = 7_342_014
ROW_MODES = (Mode.QUERY, Mode.PULL)


def day_start(now: dt.datetime) -> dt.datetime:
    """The quotas' day is the Asia/Shanghai calendar day (settings.TIME_ZONE)."""
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def seconds_to_next_day(now: dt.datetime) -> int:
    nxt = day_start(now) + dt.timedelta(days=1)
    return max(1, math.ceil((nxt - timezone.localtime(now)).total_seconds()))


def used_today(grant: Grant, *, now: dt.datetime | None = None) -> dict:
    """Successful uses of the grant today and the rows they returned (查阅, 获取)."""
    now = now or timezone.now()
    totals = GrantUse.objects.filter(
        grant_id=grant.pk, used_at__gte=day_start(now), outcome=GrantUse.Outcome.SUCCESS
    ).aggregate(calls=Count("id"), rows=Sum("amount", filter=Q(mode__in=ROW_MODES)))
    return {"calls": totals["calls"] or 0, "rows": totals["rows"] or 0}


def check_quota(*, grant: Grant, mode: str, rows: int, now: dt.datetime) -> None:
    """Inside the use's transaction, just before the use is recorded: refuse (429 until the next day)
    a use beyond the grant's daily calls, or rows beyond its daily rows. The lock is held until the
    use's transaction ends, so the next use of the grant counts this one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [QUOTA_LOCK, grant.pk])
    used = used_today(grant, now=now)
    wait = seconds_to_next_day(now)
    if used["calls"] >= grant.calls_per_day:
        raise Refused(
            grant,
            "quota_calls",
            _("该授权今日的使用次数已达上限（%(n)d 次），请明日再试；如需提高上限请联系提供部门。")
            % {"n": grant.calls_per_day},
            {"quota": grant.calls_per_day},
            error=QuotaExceededError,
            retry_after=wait,
        )
    if mode in ROW_MODES and used["rows"] + rows > grant.rows_per_day:
        left = max(0, grant.rows_per_day - used["rows"])
        raise Refused(
            grant,
            "quota_rows",
            _(
                "本次将返回 %(r)d 行，超出该授权今日剩余的行数（%(left)d 行，每日上限 %(n)d 行）；"
                "请减少每页行数或缩小筛选范围，或明日再试。"
            )
            % {"r": rows, "left": left, "n": grant.rows_per_day},
            {"quota": grant.rows_per_day, "rows": rows},
            error=QuotaExceededError,
            retry_after=wait,
        )


def compare_subject(grant: Grant, key: str, normalised_value: str | None) -> str:
    """A keyed digest naming the compared record in the usage log without its value."""
    return salted_hmac("sharing.compare.subject", f"{grant.pk}:{key}:{normalised_value}").hexdigest()[:24]


def check_compare_record(*, grant: Grant, subject: str, now: dt.datetime) -> None:
    """SECURITY.md 14.3: one record compared at most COMPARES_PER_RECORD times a grant and day (called
    after check_quota, under its lock)."""
    limit = setting("COMPARES_PER_RECORD")
    done = GrantUse.objects.filter(
        grant_id=grant.pk,
        used_at__gte=day_start(now),
        mode=Mode.COMPARE,
        outcome=GrantUse.Outcome.SUCCESS,
        detail__subject=subject,
    ).count()
    if done >= limit:
        raise Refused(
            grant,
            "compare_record_quota",
            _("同一记录每日最多比对 %(n)d 次，请明日再试。") % {"n": limit},
            {"quota": limit},
            error=QuotaExceededError,
            retry_after=seconds_to_next_day(now),
        )


def record_throttled(*, actor: User, grant_id: int, mode: str, channel: str, scope: str, wait: int, key: str) -> None:
    """A rate-limit refusal (sharing.throttles) is recorded as denied, the first of each window only:
    a flood of refused calls is not written row by row (as the open-data API does)."""
    try:
        first = cache.add(f"{key}:refused", 1, timeout=max(1, int(wait)))
    except redis.RedisError:
        first = True
    if not first:
        return
    grant = (
        Grant.objects.select_related("entry", "holder_department").filter(pk=grant_id).first()
        if str(grant_id).isdigit()
        else None
    )
    detail = {"scope": scope, "retry_after": int(wait)}
    if grant is not None:
        deny(actor=actor, grant=grant, mode=mode, channel=channel, code="throttled", detail=detail)
    else:
        record(
            f"sharing.grant.{mode}",
            actor=actor,
            target=("sharing.grant", str(grant_id)[:32], ""),
            outcome="denied",
            detail={"code": "throttled", "channel": channel, **detail},
        )
