"""The bureau administrator keeps the levels of 一般数据: their names, and how many there are.

Lhasa art. 39 (分级分类管理) and Sixian art. 39 leave the levels to the platform; the default four
are seeded (docs/grading.md). Graded rows store a level's number, so a renamed level renames every
grade that uses it. Only the highest level can be removed, and only while no grade uses it (the
catalog tells through a registered check: grading may not read the catalog's tables).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from portal.permissions import require

from .conf import setting
from .models import GradeLevel
from .selectors import levels

MANAGE = "grading.manage_gradelevel"
_usage_checks: list[Callable[[int], bool]] = []


def register_usage_check(check: Callable[[int], bool]) -> None:
    """check(number) -> whether any grade uses that level (the catalog registers one)."""
    if check not in _usage_checks:
        _usage_checks.append(check)


def _materialised() -> None:
    """Write the default levels when the table is empty, so that they can be edited."""
    if not GradeLevel.objects.exists():
        GradeLevel.objects.bulk_create(
            [GradeLevel(number=lv.number, name=lv.name, description=lv.description) for lv in levels()]
        )


def _clean(name: str, description: str) -> tuple[str, str]:
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise DomainError(_("请填写级别名称。"), code="invalid_level", errors={"name": [_("请填写级别名称。")]})
    if len(name) > 40 or len(description) > 200:
        raise DomainError(_("级别名称最长 40 字，说明最长 200 字。"), code="invalid_level")
    return name, description


def _forget() -> None:
    transaction.on_commit(lambda: cache.delete("grading:level-names"))


@transaction.atomic
def level_rename(*, actor, number: int, name: str, description: str = "") -> GradeLevel:
    require(actor, MANAGE)
    _materialised()
    name, description = _clean(name, description)
    level = GradeLevel.objects.select_for_update().filter(number=number).first()
    if level is None:
        raise DomainError(_("没有该级别。"), code="invalid_level")
    before = {"name": level.name, "description": level.description}
    level.name, level.description = name, description
    level.save(update_fields=["name", "description"])
    record(
        "grading.level.rename",
        actor=actor,
        target=level,
        detail={"number": number, "before": before, "name": name, "description": description},
    )
    _forget()
    return level


@transaction.atomic
def level_add(*, actor, name: str, description: str = "") -> GradeLevel:
    """A new highest level."""
    require(actor, MANAGE)
    _materialised()
    name, description = _clean(name, description)
    top = GradeLevel.objects.select_for_update().order_by("-number").first()
    level = GradeLevel.objects.create(number=(top.number + 1) if top else 1, name=name, description=description)
    record("grading.level.add", actor=actor, target=level, detail={"number": level.number, "name": name})
    _forget()
    return level


@transaction.atomic
def level_remove(*, actor) -> int:
    """Remove the highest level: refused while a grade uses it or a rule's setting starts at it."""
    require(actor, MANAGE)
    _materialised()
    top = GradeLevel.objects.select_for_update().order_by("-number").first()
    if top is None or top.number <= 1:
        raise DomainError(_("至少保留一个级别。"), code="invalid_level")
    thresholds = {
        setting(name)
        for name in ("PROTECTION_SENSITIVE_LEVEL", "PROTECTION_CO_APPROVAL_LEVEL", "PROTECTION_AUDITED_LEVEL")
    }
    if top.number in thresholds:
        raise DomainError(
            _("第 %(n)d 级是分级规则的起点（见设置 PROTECTION_*），不能删除。") % {"n": top.number},
            code="level_in_rules",
        )
    if any(check(top.number) for check in _usage_checks):
        raise DomainError(_("仍有资源或信息项使用第 %(n)d 级，不能删除。") % {"n": top.number}, code="level_in_use")
    number = top.number
    record("grading.level.remove", actor=actor, target=top, detail={"number": number, "name": top.name})
    top.delete()
    _forget()
    return number
