"""The bureau reviewer confirms the grades of an entry's version and its data items (分类分级).

Lhasa art. 39 (实施分级分类管理, with separation of duties): the department's officer proposes the
grades when registering; the bureau's reviewer confirms them, changing them where needed, when
approving the version (entry_approve) or, for a version published before grading existed, on its
own (grades_confirm). An entry's grade is at least its highest item's (docs/grading.md).
Nothing confirms a grade without a reviewer's act; an item nobody graded stays unconfirmed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import DataItem, EntryVersion, ResourceEntry
from portal.errors import DomainError, InvalidTransitionError
from portal.models import User
from portal.permissions import require
from protection.grading.constants import GradeCategory
from protection.grading.selectors import level_numbers
from protection.grading.services import item_level, top_category

REVIEW = "catalog.review_entryversion"


def _parse(raw: dict | None, levels: set[int], label: str) -> tuple[int | None, str | None]:
    raw = raw or {}
    level, category = raw.get("level", raw.get("grade_level")), raw.get("category", raw.get("grade_category"))
    if level in ("", None):
        level = None
    else:
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = -1
        if level not in levels:
            raise DomainError(
                _("%(n)s：数据分级必须是已设定的级别之一。") % {"n": label},
                code="invalid_grade",
                errors={"grades": [_("%(n)s：数据分级必须是已设定的级别之一。") % {"n": label}]},
            )
    if category not in (None, "") and category not in GradeCategory.values:
        raise DomainError(
            _("%(n)s：数据分类只能是一般数据、重要数据或核心数据。") % {"n": label},
            code="invalid_grade",
            errors={"grades": [_("%(n)s：数据分类只能是一般数据、重要数据或核心数据。") % {"n": label}]},
        )
    return level, category or None


def apply_confirmation(*, actor: User, version: EntryVersion, grades: dict | None, now: dt.datetime) -> dict:
    """Confirm (and where ``grades`` says so, change) the grades of a version and its items, inside the
    caller's transaction. grades: {"level", "category", "items": {key: {"level", "category"}}}.
    Returns what the audit entry records."""
    grades = grades or {}
    levels = level_numbers()
    items = list(version.items.select_for_update().order_by("position"))
    given_items = grades.get("items") or {}
    unknown = sorted(set(given_items) - {item.key for item in items})
    if unknown:
        raise DomainError(
            _("没有这些信息项：%(k)s") % {"k": "、".join(unknown)},
            code="invalid_grade",
            errors={"grades": [_("没有这些信息项：%(k)s") % {"k": "、".join(unknown)}]},
        )
    changed = []
    for item in items:
        level, category = _parse(given_items.get(item.key), levels, item.name)
        before = (item.grade_level, item.grade_category)
        item.grade_level = level if level is not None else item.grade_level
        item.grade_category = category or item.grade_category
        if (item.grade_level, item.grade_category) != before:
            changed.append(item.key)
        item.grade_confirmed = item.grade_level is not None
    DataItem.objects.bulk_update(items, ["grade_level", "grade_category", "grade_confirmed"])
    level, category = _parse(grades, levels, _("资源"))
    graded = [item for item in items if item.grade_confirmed]
    own = level if level is not None else version.grade_level
    # the entry's grade is at least its highest item's (level and category)
    tops = [item_level(item) for item in graded]
    version.grade_level = max([own or 0, *tops]) or None
    version.grade_category = top_category([category or version.grade_category, *[i.grade_category for i in graded]])
    if version.grade_level is not None and version.grade_level not in levels:
        version.grade_level = max(levels)
    version.grade_confirmed = version.grade_level is not None and len(graded) == len(items)
    version.grade_confirmed_by, version.grade_confirmed_at = actor, now
    version.save(
        update_fields=["grade_level", "grade_category", "grade_confirmed", "grade_confirmed_by", "grade_confirmed_at"]
    )
    return {
        "grade_level": version.grade_level,
        "grade_category": version.grade_category,
        "grade_confirmed": version.grade_confirmed,
        "items_changed": changed,
        "items_ungraded": [item.key for item in items if not item.grade_confirmed],
    }


@transaction.atomic
def grades_confirm(*, actor: User, entry: ResourceEntry, grades: dict | None = None) -> EntryVersion:
    """The bureau reviewer confirms the grades of a published entry (e.g. the proposals migration
    catalog.0005 gave existing entries), without a new version."""
    entry = ResourceEntry.objects.select_for_update().get(pk=entry.pk)
    require(actor, REVIEW, entry)
    if entry.published_version_id is None:
        raise InvalidTransitionError(_("资源尚未发布：分级在审核时一并确认。"))
    version = EntryVersion.objects.select_for_update().get(pk=entry.published_version_id)
    detail = apply_confirmation(actor=actor, version=version, grades=grades, now=timezone.now())
    record("catalog.entry.grades_confirm", actor=actor, target=entry, detail={"version": version.number, **detail})
    return version
