"""Reads of the grade levels (the bureau administrator's table, Lhasa art. 39)."""

from __future__ import annotations

from typing import cast

from django.core.cache import cache

from .constants import DEFAULT_LEVELS, GradeCategory
from .models import GradeLevel


def levels() -> list[GradeLevel]:
    """The bureau's levels; while it has set none (an emptied table), the default four (DEFAULT_LEVELS)."""
    found = list(GradeLevel.objects.order_by("number"))
    return found or [GradeLevel(number=n, name=str(name), description=str(d)) for n, name, d in DEFAULT_LEVELS]


def level_numbers() -> set[int]:
    return {level.number for level in levels()}


def level_choices() -> list[tuple[int, str]]:
    """(number, "3 敏感") for forms and filters."""
    return [(level.number, str(level)) for level in levels()]


def level_names() -> dict[int, str]:
    """{number: name}, cached a minute (exports and lists name a level on every row)."""
    names = cache.get_or_set("grading:level-names", lambda: {level.number: level.name for level in levels()}, 60)
    return cast(dict[int, str], names)  # the cache hands back what the callable made


def grade_label(level: int | None, category: str = GradeCategory.GENERAL, names: dict | None = None) -> str:
    """How a grade reads: the category for 重要 / 核心 data, else "3 敏感"; "" when ungraded."""
    if category and category != GradeCategory.GENERAL:
        return str(GradeCategory(category).label)
    if not level:
        return ""
    names = names if names is not None else level_names()
    return f"{level} {names.get(level, '')}".strip()
