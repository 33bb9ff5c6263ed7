"""The grade of a data item and of an entry, as the rules read them (docs/grading.md).

Lhasa art. 39 (实施分级分类管理), Sixian art. 39 (数据分类分级安全防护: 脱敏、加密认证 by grade),
Tongren art. 14(四) (数据分类、备份和加密). The catalog keeps the grades on its rows:
``grade_level`` (level of 一般数据, null until graded), ``grade_category`` (GradeCategory) and
``grade_confirmed`` (the bureau reviewer confirmed it in the catalog review). These functions read
those attributes from whatever object carries them (grading may not import the catalog).

A level is the *effective* one the rules use:
- the stored level, or while there is none the suggestion from the item's type and name (an
  ungraded item is never treated as less protected than it looks);
- at least PROTECTION_SENSITIVE_LEVEL when the officer ticked the item 敏感;
- 重要数据 and 核心数据 at least PROTECTION_CO_APPROVAL_LEVEL, whatever level they carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .conf import setting
from .constants import CATEGORY_RANK, GradeCategory
from .suggest import ORGANISATION, SENSITIVE_TYPES, Suggestion, keyword_patterns, suggest_item


@dataclass(frozen=True)
class Grade:
    """An effective grade: the level the rules compare, the GB/T 43697 category, confirmed or not."""

    level: int
    category: str = GradeCategory.GENERAL
    confirmed: bool = False

    @property
    def is_important(self) -> bool:
        return self.category == GradeCategory.IMPORTANT

    @property
    def is_core(self) -> bool:
        return self.category == GradeCategory.CORE


def _open_resource(version) -> bool:
    return bool(version is not None and getattr(version, "open_type", "not_open") not in ("", "not_open"))


def item_suggestion(item) -> Suggestion:
    """The suggested grade of a catalog data item (its version says whether the resource is open)."""
    version = getattr(item, "version", None) if getattr(item, "version_id", None) else None
    return suggest_item(
        type=getattr(item, "type", ""),
        key=getattr(item, "key", ""),
        name=getattr(item, "name", ""),
        open_resource=_open_resource(version),
    )


def _floor(level: int, category: str, ticked_sensitive: bool) -> int:
    if ticked_sensitive:
        level = max(level, setting("PROTECTION_SENSITIVE_LEVEL"))
    if category in (GradeCategory.IMPORTANT, GradeCategory.CORE):
        level = max(level, setting("PROTECTION_CO_APPROVAL_LEVEL"))
    return level


def item_grade(item) -> Grade:
    """The effective grade of one data item (any object with the catalog item's attributes)."""
    stored = getattr(item, "grade_level", None)
    category = getattr(item, "grade_category", "") or GradeCategory.GENERAL
    level = stored if stored else item_suggestion(item).level
    return Grade(
        level=_floor(level, category, bool(getattr(item, "sensitive", False))),
        category=category,
        confirmed=bool(stored) and bool(getattr(item, "grade_confirmed", False)),
    )


def item_level(item) -> int:
    """The effective level of a data item: what masking, encryption, opening and audit compare."""
    return item_grade(item).level


def is_sensitive(item) -> bool:
    """Sixian art. 39 / Tongren art. 22: items at PROTECTION_SENSITIVE_LEVEL (default 3) or above are
    masked in shares unless the grant names them unmasked, and stored encrypted."""
    return item_level(item) >= setting("PROTECTION_SENSITIVE_LEVEL")


def sensitive_item_filter(prefix: str = "") -> Q:
    """is_sensitive as a filter over catalog data items (``prefix`` for a relation, e.g. "items__"),
    the suggestion of an ungraded item included (its patterns are PostgreSQL regular expressions)."""
    level = setting("PROTECTION_SENSITIVE_LEVEL")
    graded = (
        Q(**{f"{prefix}sensitive": True})
        | Q(**{f"{prefix}grade_level__gte": level})
        | Q(**{f"{prefix}grade_category__in": [GradeCategory.IMPORTANT, GradeCategory.CORE]})
    )
    personal = ~Q(**{f"{prefix}key__iregex": ORGANISATION}) & ~Q(**{f"{prefix}name__iregex": ORGANISATION})
    suggested = Q(
        **{f"{prefix}type__in": [t for t, (_why, exempt) in SENSITIVE_TYPES.items() if 3 >= level and not exempt]}
    )
    suggested |= (
        Q(**{f"{prefix}type__in": [t for t, (_why, exempt) in SENSITIVE_TYPES.items() if 3 >= level and exempt]})
        & personal
    )
    for words, exempt in keyword_patterns(level):
        matched = Q(**{f"{prefix}key__iregex": words}) | Q(**{f"{prefix}name__iregex": words})
        suggested |= (matched & personal) if exempt else matched
    if level <= 2:
        suggested |= Q(**{f"{prefix}version__open_type": "not_open"})
    if level <= 1:
        suggested = Q()
    return graded | (Q(**{f"{prefix}grade_level__isnull": True}) & suggested)


def top_category(categories) -> str:
    return max(list(categories) or [GradeCategory.GENERAL], key=lambda c: CATEGORY_RANK.get(c, 0))


def _version_of(entry_or_version):
    if hasattr(entry_or_version, "items"):
        return entry_or_version
    return entry_or_version.published_version or entry_or_version.working_version


def entry_grade(entry_or_version, items=None) -> Grade:
    """The effective grade of a catalog entry (its published version, else its working one) or of one
    version: its own grade, raised to its highest item's (an entry's grade is at least its highest
    item's), confirmed when the version's grade and every item's are. ``items`` saves the query when
    the caller holds them already."""
    version = _version_of(entry_or_version)
    if version is None:
        return Grade(level=1)
    item_grades = [item_grade(item) for item in (version.items.all() if items is None else items)]
    stored = getattr(version, "grade_level", None)
    own_category = getattr(version, "grade_category", "") or GradeCategory.GENERAL
    category = top_category([own_category] + [g.category for g in item_grades])
    own_level = stored or max([g.level for g in item_grades], default=2 - _open_resource(version))
    level = _floor(max([own_level] + [g.level for g in item_grades]), category, False)
    confirmed = (
        bool(stored) and bool(getattr(version, "grade_confirmed", False)) and all(g.confirmed for g in item_grades)
    )
    return Grade(level=level, category=category, confirmed=confirmed)
