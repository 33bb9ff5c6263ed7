"""Rules on single entries: a failed verification of the chain, a grant used out of hours or from a
new address range, graded data read at night, an API key used after its owner left."""

from __future__ import annotations

import ipaddress

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import stream
from audit.models import AuditEntry, Outcome
from catalog.selectors import entry_by_pk
from openness.models import ApiKey
from portal.workdays import is_workday
from protection.grading.services import entry_grade
from secops.detection import conf
from secops.detection.models import DetectionRule, GrantAddress
from secops.detection.rules import Firing, who
from sharing.models import Grant

USE_MODES = ("query", "compare", "statistics", "pull")


def chain_failed(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """audit.verify with outcome failure (audit.services.verification): the log was altered, entries
    removed or inserted (seed 004 完整性检查; Lhasa art. 43)."""
    return [
        Firing(
            subject="audit-chain",
            label=_("审计日志"),
            title=_("审计日志完整性校验未通过"),
            description=_(
                "校验发现：篡改 %(a)s 条，删除 %(r)s 条，插入 %(i)s 条，区块问题 %(b)s 项，链头问题 %(h)s 项。"
            )
            % {
                k: e.detail.get(n, 0)
                for k, n in (
                    ("a", "altered"),
                    ("r", "removed"),
                    ("i", "inserted"),
                    ("b", "block_problems"),
                    ("h", "head_problems"),
                )
            },
            trigger=e,
            entries=[e],
        )
        for e in entries
        if e.action == "audit.verify" and e.outcome == Outcome.FAILURE
    ]


def _network(ip: str) -> str:
    address = ipaddress.ip_address(ip)
    return str(ipaddress.ip_network(f"{ip}/{24 if address.version == 4 else 48}", strict=False))


def _is_grant_use(e: AuditEntry) -> bool:
    return (
        e.object_type == "sharing.grant"
        and e.outcome == Outcome.SUCCESS
        and e.action.rpartition(".")[2] in USE_MODES
        and e.action.startswith("sharing.grant.")
    )


def _out_of_hours(moment) -> bool:
    local = conf.local(moment)
    return not is_workday(local.date()) or not (conf.setting("WORK_START") <= local.time() < conf.setting("WORK_END"))


def grant_use(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """A grant used outside working hours (grants carry no hours of their own: the calendar's working
    days and WORK_START-WORK_END) or from an address range (/24) never seen for that grant before
    (Lhasa art. 22: a grant names its users, data, mode and period; Hechi art. 41 责任认定)."""
    firings = []
    for e in (e for e in entries if _is_grant_use(e)):
        reasons = []
        if _out_of_hours(e.occurred_at):
            reasons.append(_("非工作时间（%(t)s）") % {"t": conf.local(e.occurred_at).strftime("%Y-%m-%d %H:%M")})
        if e.client_ip:
            net = _network(e.client_ip)
            known = ctx.setdefault("grant_networks", {})
            if e.object_id not in known:
                known[e.object_id] = set(
                    GrantAddress.objects.filter(grant_id=e.object_id).values_list("network", flat=True)
                )
            if net not in known[e.object_id]:
                if known[e.object_id]:  # the first range a grant is used from is learnt, not reported
                    reasons.append(_("新地址段 %(net)s") % {"net": net})
                GrantAddress.objects.bulk_create(
                    [GrantAddress(grant_id=int(e.object_id), network=net, first_seen_at=timezone.now())],
                    ignore_conflicts=True,
                )
                known[e.object_id].add(net)
        if not reasons:
            continue
        firings.append(
            Firing(
                subject=f"grant:{e.object_id}",
                label=e.object_repr,
                title=_("授权 %(g)s 的异常使用") % {"g": e.object_repr or e.object_id},
                description=_("%(who)s：%(why)s。") % {"who": who(e), "why": "；".join(str(r) for r in reasons)},
                trigger=e,
                entries=[e],
                departments=[d for d in (e.department_id, e.owner_department_id) if d],
                users=[e.actor_id] if e.actor_id else [],
            )
        )
    return firings


def _entry_level(ctx: dict, e: AuditEntry) -> int | None:
    """The grade level of the catalog entry an entry read (directly, or through a grant)."""
    cache = ctx.setdefault("levels", {})
    key = (e.object_type, e.object_id)
    if key not in cache:
        entry = None
        if e.object_type == "catalog.resourceentry":
            entry = entry_by_pk(e.object_id)
        elif e.object_type == "sharing.grant":
            grant = Grant.objects.select_related("entry").filter(pk=e.object_id).first()
            entry = grant.entry if grant else None
        cache[key] = entry_grade(entry).level if entry is not None else None
    return cache[key]


def _at_night(moment) -> bool:
    hour = conf.local(moment).hour
    return hour >= conf.setting("NIGHT_START") or hour < conf.setting("NIGHT_END")


def night_read(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """Rows of data graded at level `threshold` (3) or above read at night, 22:00-06:00 Asia/Shanghai
    (protection.grading; Lhasa art. 39 分级分类管理; the city opinion 004: 安全监测监督)."""
    firings = []
    for e in entries:
        reads = e.action == "catalog.rows.read" or _is_grant_use(e)
        if not reads or e.outcome != Outcome.SUCCESS or not e.actor_id or not _at_night(e.occurred_at):
            continue
        level = _entry_level(ctx, e)
        if level is None or level < rule.threshold:
            continue
        firings.append(
            Firing(
                subject=f"user:{e.actor_id}",
                label=who(e),
                title=_("%(who)s 夜间读取第 %(l)d 级数据") % {"who": who(e), "l": level},
                description=_("%(t)s 读取“%(o)s”。")
                % {"t": conf.local(e.occurred_at).strftime("%Y-%m-%d %H:%M"), "o": e.object_repr},
                trigger=e,
                entries=[e],
                departments=[d for d in (e.department_id, e.owner_department_id) if d],
                users=[e.actor_id],
            )
        )
    return firings


def orphan_key(rule: DetectionRule, entries: list[AuditEntry], ctx: dict) -> list[Firing]:
    """A call of the open API with a key whose owner has left: the account is deactivated, or the
    owner's department is no longer the one the key was created in (SECURITY.md 14.16)."""
    firings = []
    keys = ctx.setdefault("keys", {})
    for e in entries:
        prefix = e.detail.get("key") if e.action == "openness.api.call" and isinstance(e.detail, dict) else None
        if not prefix or e.outcome != Outcome.SUCCESS:
            continue
        if prefix not in keys:
            key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
            made = (
                stream.first_for_object(
                    action="openness.apikey.create", object_type="openness.apikey", object_id=str(key.pk)
                )
                if key
                else None
            )
            keys[prefix] = (key, made.department_id if made else None)
        key, made_in = keys[prefix]
        if key is None:
            continue
        owner = key.user
        if not owner.is_active:
            why = _("所有人账号已停用")
        elif made_in is not None and owner.department_id != made_in:
            why = _("所有人已调离创建密钥时的部门")
        else:
            continue
        firings.append(
            Firing(
                subject=f"key:{prefix}",
                label=str(key),
                title=_("接口密钥 %(k)s 在所有人离岗后仍被使用") % {"k": prefix},
                description=_("%(why)s；%(t)s 仍有调用。")
                % {"why": why, "t": conf.local(e.occurred_at).strftime("%Y-%m-%d %H:%M")},
                trigger=e,
                entries=[e],
                departments=[d for d in (made_in, owner.department_id) if d],
                users=[owner.pk],
            )
        )
    return firings
