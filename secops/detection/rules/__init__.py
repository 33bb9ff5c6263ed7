"""The detection rules (issue 16 part 2): each reads the new entries of one batch of the stream and
says which subjects it fires on. A rule's cost follows the new entries: what it looks up beyond them
is a time-bounded window of one actor, address or object (audit.stream)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from secops.detection.models import RuleCode


@dataclass
class Firing:
    """One subject a rule fires on, with the entries that show it; `trigger` is the new entry that
    made it fire (a firing whose trigger is evidence already is a re-read, and is dropped)."""

    subject: str
    label: str
    title: str
    description: str
    trigger: AuditEntry
    entries: list[AuditEntry]
    departments: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    """A rule's defaults, the incident it reports (kind, level) and what its numbers mean."""

    threshold: int
    factor: float
    window: int
    opens_incident: bool
    incident_kind: str
    incident_level: str
    threshold_means: str
    window_means: str = ""


SPECS: dict[str, Spec] = {
    # Seed 004 完整性检查: a failed verification of the chain is tampering until shown otherwise.
    RuleCode.CHAIN_FAILED: Spec(1, 1, 0, True, "tampering", "larger", _("不适用")),
    RuleCode.VOLUME: Spec(20, 5, 14, False, "leak", "general", _("每日最少次数"), _("基线天数")),
    RuleCode.DENIED: Spec(5, 1, 10, False, "unauthorised", "general", _("拒绝次数"), _("分钟")),
    RuleCode.LOCKOUT: Spec(3, 1, 15, False, "account", "general", _("锁定次数"), _("分钟")),
    RuleCode.GRANT_USE: Spec(1, 1, 0, False, "unauthorised", "general", _("不适用")),
    RuleCode.NIGHT_READ: Spec(3, 1, 0, False, "leak", "general", _("最低数据级别")),
    # City opinion 004: accounts are personal; one used from two places at once is shared or stolen.
    RuleCode.SHARED_ACCOUNT: Spec(2, 1, 10, False, "account", "general", _("地址数"), _("分钟")),
    RuleCode.ORPHAN_KEY: Spec(1, 1, 0, True, "unauthorised", "general", _("不适用")),
}

Evaluator = Callable[..., list[Firing]]


def evaluators() -> dict[str, Evaluator]:
    from secops.detection.rules import counting, singles

    return {
        RuleCode.CHAIN_FAILED: singles.chain_failed,
        RuleCode.VOLUME: counting.volume,
        RuleCode.DENIED: counting.denied,
        RuleCode.LOCKOUT: counting.lockout,
        RuleCode.GRANT_USE: singles.grant_use,
        RuleCode.NIGHT_READ: singles.night_read,
        RuleCode.SHARED_ACCOUNT: counting.shared_account,
        RuleCode.ORPHAN_KEY: singles.orphan_key,
    }


def who(entry: AuditEntry) -> str:
    return entry.actor_name or entry.actor_username or str(entry.actor_id or "-")
