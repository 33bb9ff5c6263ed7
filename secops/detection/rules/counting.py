"""Rules that count: one user's downloads against their own baseline, denied accesses to other
departments' objects, lock-outs from one address, one account from several addresses at once."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from audit import stream
from audit.models import AuditEntry, Outcome
from secops.detection import conf
from secops.detection.models import DetectionRule
from secops.detection.rules import Firing, who

# Downloads and pulls of data (Lhasa art. 41 使用记录): the open portal's downloads and API calls,
# grant pulls and queries, catalog exports and row reads.
VOLUME_ACTIONS = (
    "openness.download",
    "openness.api.call",
    "sharing.grant.pull",
    "sharing.grant.query",
    "catalog.export",
    "catalog.rows.read",
)


def _last_per(entries, key) -> dict:
    """The last new entry per key (the trigger of that key's firing)."""
    last: dict = {}
    for entry in entries:
        k = key(entry)
        if k is not None:
            last[k] = entry
    return last


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=conf.ZONE)


def _day_counts(triggers: dict) -> dict:
    """The day's downloads of every actor of the batch, one grouped statement per day (a batch
    spans one or two days): only those above the threshold are looked at one by one."""
    counts: dict = {}
    for day in {day for _actor, day in triggers}:
        start = _day_start(day)
        actors = [actor for actor, d in triggers if d == day]
        rows = (
            stream.between(since=start, until=start + dt.timedelta(days=1) - dt.timedelta(microseconds=1))
            .filter(actor_id__in=actors, action__in=VOLUME_ACTIONS, outcome=Outcome.SUCCESS)
            .values_list("actor_id")
            .annotate(n=Count("id"))
            .values_list("actor_id", "n")
        )
        counts.update({(actor, day): n for actor, n in rows})
    return counts


def volume(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """Downloads or pulls by one user (or their API key) in one day above max(threshold, factor ×
    the median of their previous `window` days): a sudden bulk copy (Tongren art. 35 安全监测)."""
    new = [e for e in entries if e.action in VOLUME_ACTIONS and e.outcome == Outcome.SUCCESS and e.actor_id]
    triggers = _last_per(new, lambda e: (e.actor_id, conf.local(e.occurred_at).date()))
    firings = []
    days = max(1, rule.window)
    counts = _day_counts(triggers)
    for (actor_id, day), trigger in triggers.items():
        count = counts.get((actor_id, day), 0)
        if count <= rule.threshold:
            continue
        start = _day_start(day)
        mine = AuditEntry.objects.filter(actor_id=actor_id, action__in=VOLUME_ACTIONS, outcome=Outcome.SUCCESS)
        today = mine & stream.between(since=start, until=start + dt.timedelta(days=1) - dt.timedelta(microseconds=1))
        before = mine & stream.between(
            since=start - dt.timedelta(days=days), until=start - dt.timedelta(microseconds=1)
        )
        per_day = dict(
            before.annotate(day=TruncDate("occurred_at", tzinfo=conf.ZONE))
            .values_list("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        median = statistics.median([per_day.get(day - dt.timedelta(days=d), 0) for d in range(1, days + 1)])
        limit = max(rule.threshold, float(rule.factor) * median)
        if count <= limit:
            continue
        shown = list(
            today.order_by("-occurred_at", "-id").only("id", "occurred_at", "action")[: conf.setting("MAX_EVIDENCE")]
        )
        firings.append(
            Firing(
                subject=f"user:{actor_id}",
                label=who(trigger),
                title=_("%(who)s 当日下载或获取 %(n)d 次，远超本人基线") % {"who": who(trigger), "n": count},
                description=_(
                    "%(day)s 共 %(n)d 次；此前 %(days)d 天的中位数为每日 %(median)s 次，阈值为 %(limit)s 次。"
                )
                % {"day": day.isoformat(), "n": count, "days": days, "median": median, "limit": limit},
                trigger=trigger,
                entries=[trigger, *shown],
                departments=[trigger.department_id] if trigger.department_id else [],
                users=[actor_id],
            )
        )
    return firings


def denied(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """Repeated refusals (request.denied, 403/404) of one user on objects of other departments
    within `window` minutes (SECURITY.md 14.4: probing for what one may not see)."""

    def foreign(e: AuditEntry) -> bool:
        return (
            e.outcome == Outcome.DENIED
            and e.actor_id is not None
            and e.owner_department_id is not None
            and e.owner_department_id != e.department_id
        )

    triggers = _last_per([e for e in entries if foreign(e)], lambda e: e.actor_id)
    firings = []
    for actor_id, trigger in triggers.items():
        since = trigger.occurred_at - dt.timedelta(minutes=rule.window)
        window = list(
            stream.between(since=since, until=trigger.occurred_at)
            .filter(actor_id=actor_id, outcome=Outcome.DENIED, owner_department_id__isnull=False)
            .exclude(owner_department_id=F("department_id"))
            .order_by("occurred_at", "id")[: conf.setting("MAX_EVIDENCE")]
        )
        if len(window) < rule.threshold:
            continue
        owners = sorted({e.owner_department_id for e in window})
        firings.append(
            Firing(
                subject=f"user:{actor_id}",
                label=who(trigger),
                title=_("%(who)s 在 %(m)d 分钟内 %(n)d 次访问其他部门的对象被拒绝")
                % {"who": who(trigger), "m": rule.window, "n": len(window)},
                description=_("被拒绝的访问涉及 %(d)d 个其他部门的对象。") % {"d": len(owners)},
                trigger=trigger,
                entries=window + [trigger],
                departments=owners + ([trigger.department_id] if trigger.department_id else []),
                users=[actor_id],
            )
        )
    return firings


def lockout(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """Lock-outs (django-axes, auth.locked_out) of accounts from one address within `window` minutes:
    someone trying passwords across accounts."""
    triggers = _last_per([e for e in entries if e.action == "auth.locked_out"], lambda e: e.client_ip)
    firings = []
    for ip, trigger in triggers.items():
        since = trigger.occurred_at - dt.timedelta(minutes=rule.window)
        window = list(
            stream.between(since=since, until=trigger.occurred_at)
            .filter(action="auth.locked_out", client_ip=ip)
            .order_by("occurred_at", "id")[: conf.setting("MAX_EVIDENCE")]
        )
        if len(window) < rule.threshold:
            continue
        firings.append(
            Firing(
                subject=f"ip:{ip}",
                label=ip,
                title=_("地址 %(ip)s 在 %(m)d 分钟内导致 %(n)d 次账号锁定")
                % {"ip": ip, "m": rule.window, "n": len(window)},
                description=_("涉及账号：%(names)s。")
                % {"names": "、".join(sorted({str(e.detail.get("username", "")) for e in window}))[:500]},
                trigger=trigger,
                entries=window + [trigger],
            )
        )
    return firings


def shared_account(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """One account working from `threshold` or more addresses within `window` minutes: a shared
    account, which the city opinion (004) forbids, or a stolen one."""
    triggers = _last_per([e for e in entries if e.actor_id and e.client_ip], lambda e: e.actor_id)
    firings = []
    if not triggers:
        return firings
    # One grouped statement for the whole batch: the addresses of its actors over the window; only
    # an actor with several is looked at one by one.
    first = min(e.occurred_at for e in triggers.values())
    pairs = (
        stream.between(
            since=first - dt.timedelta(minutes=rule.window), until=max(e.occurred_at for e in triggers.values())
        )
        .filter(actor_id__in=list(triggers), client_ip__isnull=False)
        .values_list("actor_id", "client_ip")
        .distinct()
    )
    addresses: dict = {}
    for actor_id, ip in pairs:
        addresses.setdefault(actor_id, set()).add(ip)
    for actor_id, trigger in triggers.items():
        if len(addresses.get(actor_id, ())) < max(2, rule.threshold):
            continue
        since = trigger.occurred_at - dt.timedelta(minutes=rule.window)
        latest: dict[str, AuditEntry] = {}
        for entry in (
            stream.between(since=since, until=trigger.occurred_at)
            .filter(actor_id=actor_id, client_ip__isnull=False)
            .only("id", "occurred_at", "action", "client_ip")
            .order_by("occurred_at", "id")
        ):
            latest[entry.client_ip] = entry
        if len(latest) < max(2, rule.threshold):
            continue
        firings.append(
            Firing(
                subject=f"user:{actor_id}",
                label=who(trigger),
                title=_("账号 %(who)s 在 %(m)d 分钟内从 %(n)d 个地址使用")
                % {"who": who(trigger), "m": rule.window, "n": len(latest)},
                description=_("地址：%(ips)s。") % {"ips": "、".join(sorted(latest))},
                trigger=trigger,
                entries=[*latest.values(), trigger],
                departments=[trigger.department_id] if trigger.department_id else [],
                users=[actor_id],
            )
        )
    return firings
