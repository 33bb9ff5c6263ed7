"""Application scenarios and the bureau's switches (docs/features.md S1, S6).

Lhasa art. 21: the bureau defines application scenarios on the principle of 最少够用 (just
enough); a department whose need fits a scenario is authorised directly. Lhasa art. 19: use of
unconditional data needs no provider approval — the bureau may grant it at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import ResourceEntry, ShareType
from portal.errors import DomainError
from portal.models import Department, User
from portal.permissions import require
from sharing.conf import setting
from sharing.models import Application, Scenario, SharingPolicy


def policy() -> SharingPolicy:
    found = SharingPolicy.objects.filter(pk=1).first()
    if found is not None:
        return found
    policy_row, _created = SharingPolicy.objects.get_or_create(
        pk=1, defaults={"auto_grant_unconditional": bool(setting("AUTO_GRANT_UNCONDITIONAL"))}
    )
    return policy_row


@transaction.atomic
def policy_set(*, actor: User, auto_grant_unconditional: bool) -> SharingPolicy:
    """The bureau admin switches automatic grants of unconditional data on or off."""
    require(actor, "sharing.change_sharingpolicy")
    policy()
    row = SharingPolicy.objects.select_for_update().get(pk=1)
    before = row.auto_grant_unconditional
    row.auto_grant_unconditional = bool(auto_grant_unconditional)
    row.updated_by = actor
    row.save()
    record(
        "sharing.policy.update",
        actor=actor,
        target=row,
        detail={"auto_grant_unconditional": [before, row.auto_grant_unconditional]},
    )
    return row


def _validate(*, name: str, entry: ResourceEntry, items: list[str], modes: list[str], max_days: int) -> dict:
    errors: dict[str, list[str]] = {}
    version = entry.published_version if entry is not None else None
    if not (name or "").strip():
        errors.setdefault("name", []).append(_("请填写场景名称。"))
    if version is None or entry.is_withdrawn:
        errors.setdefault("entry", []).append(_("只能为已发布的资源定义应用场景。"))
        return errors
    if version.share_type == ShareType.NOT_SHARED:
        errors.setdefault("entry", []).append(_("不予共享的资源不能定义应用场景。"))
    known = set(version.items.values_list("key", flat=True))
    if not items:
        errors.setdefault("items", []).append(_("请至少选择一个信息项。"))
    elif set(items) - known:
        errors.setdefault("items", []).append(
            _("信息项不属于该资源：%(k)s") % {"k": "、".join(sorted(set(items) - known))}
        )
    if not modes:
        errors.setdefault("modes", []).append(_("请至少选择一种使用方式。"))
    elif set(modes) - set(version.share_modes or []):
        errors.setdefault("modes", []).append(_("该资源不允许这种使用方式。"))
    if not isinstance(max_days, int) or not 1 <= max_days <= setting("MAX_GRANT_DAYS"):
        errors.setdefault("max_days", []).append(
            _("最长授权天数必须在 1 到 %(n)d 之间。") % {"n": setting("MAX_GRANT_DAYS")}
        )
    return errors


@transaction.atomic
def scenario_save(
    *,
    actor: User,
    scenario: Scenario | None = None,
    name: str,
    entry: ResourceEntry,
    items: list[str],
    modes: list[str],
    description: str = "",
    departments: list[Department] | None = None,
    max_days: int = 365,
    is_active: bool = True,
) -> Scenario:
    """Create or change a scenario (bureau admin)."""
    require(actor, "sharing.change_scenario" if scenario else "sharing.add_scenario")
    items = list(dict.fromkeys(items or []))
    modes = list(dict.fromkeys(modes or []))
    errors = _validate(name=name, entry=entry, items=items, modes=modes, max_days=max_days)
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="invalid_scenario", errors=errors)
    if scenario is None:
        scenario = Scenario(created_by=actor)
        action = "sharing.scenario.create"
    else:
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        action = "sharing.scenario.update"
    scenario.name, scenario.description = name.strip(), (description or "").strip()
    scenario.entry, scenario.items, scenario.modes = entry, items, modes
    scenario.max_days, scenario.is_active = max_days, bool(is_active)
    scenario.save()
    scenario.departments.set(departments or [])
    record(
        action,
        actor=actor,
        target=scenario,
        detail={
            "entry": entry.pk,
            "items": items,
            "modes": modes,
            "max_days": max_days,
            "departments": [d.pk for d in departments or []],
            "active": scenario.is_active,
        },
    )
    return scenario


def fits(scenario: Scenario, application: Application, today: dt.date | None = None) -> bool:
    """The application asks for no more than the scenario allows: items, mode, department, period.

    A request to see sensitive items unmasked always goes to review."""
    today = today or timezone.localdate(application.submitted_at)
    if not scenario.is_active or scenario.entry_id != application.entry_id:
        return False
    if application.unmask_requested or not set(application.items) <= set(scenario.items):
        return False
    if application.mode not in scenario.modes:
        return False
    if application.end_date > today + dt.timedelta(days=scenario.max_days):
        return False
    allowed = list(scenario.departments.values_list("pk", flat=True))
    return not allowed or application.applicant_department_id in allowed


def scenario_for(application: Application) -> Scenario | None:
    for scenario in Scenario.objects.filter(entry_id=application.entry_id, is_active=True).order_by("pk"):
        if fits(scenario, application):
            return scenario
    return None
