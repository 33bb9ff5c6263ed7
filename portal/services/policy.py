"""The bureau admin sets a deadline length or a cited article from a date on (issue 19, part 4;
docs/features.md, "Deadlines by city"). Audited in the same transaction (Lhasa art. 39, 41)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import policy as registry
from portal.errors import DomainError
from portal.models import PolicySetting, User
from portal.permissions import require
from portal.trail import record


def clean_value(key: str, raw) -> str:
    """The value as stored, or DomainError naming the field (`value`)."""
    found = registry.REGISTRY.get(key)
    if found is None:
        raise DomainError(_("没有这个设置项。"), code="unknown_policy", errors={"key": [_("没有这个设置项。")]})
    text = str(raw if raw is not None else "").strip()
    if found.kind == registry.DAYS:
        message = _("期限应为 %(min)s 至 %(max)s 之间的整数个工作日。") % {
            "min": registry.MIN_DAYS,
            "max": registry.MAX_DAYS,
        }
        if isinstance(raw, bool) or not text.isdigit() or not registry.MIN_DAYS <= int(text) <= registry.MAX_DAYS:
            raise DomainError(message, code="days_out_of_range", errors={"value": [message]})
        return str(int(text))
    if not text or len(text) > registry.MAX_TEXT or any(ord(c) < 32 for c in text):
        message = _("请填写引用的条款（不超过 %(max)s 个字）。") % {"max": registry.MAX_TEXT}
        raise DomainError(message, code="invalid_text", errors={"value": [message]})
    return text


@transaction.atomic
def policy_set(*, actor: User, key: str, value, effective_from: dt.date, reason: str) -> PolicySetting:
    """A new value of `key` in force from `effective_from` (today or later, never in the past: a deadline
    already counted keeps its due time, and a past date would rewrite what was in force then)."""
    require(actor, "portal.add_policysetting")
    stored = clean_value(key, value)
    today = timezone.localdate()
    if not isinstance(effective_from, dt.date) or effective_from < today:
        message = _("生效日期不能早于今天。")
        raise DomainError(message, code="effective_in_past", errors={"effective_from": [message]})
    if effective_from.year > today.year + 10:
        message = _("生效日期不能晚于十年之后。")
        raise DomainError(message, code="effective_too_late", errors={"effective_from": [message]})
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        message = _("请写明设置的依据或原因（不超过 300 个字）。")
        raise DomainError(message, code="reason_required", errors={"reason": [message]})
    # Serialise the changes of one key, so that "before" is the value a concurrent change did not replace.
    list(PolicySetting.objects.select_for_update().filter(key=key).values_list("pk", flat=True))
    before = registry.value(key, on=effective_from)
    row = PolicySetting.objects.create(
        key=key, value=stored, effective_from=effective_from, set_by=actor, reason=reason
    )
    registry.CACHE.forget()
    record(
        "portal.policy.set",
        actor=actor,
        target=row,
        detail={
            "key": key,
            "value": stored,
            "before": str(before),
            "effective_from": effective_from.isoformat(),
            "reason": reason,
        },
    )
    return row
