"""Reads of the grade levels (the bureau administrator's table, Lhasa art. 39)."""
from __future__ import annotations

from .constants import GradeCategory
from .models import GradeLevel


def levels() -> list[GradeLevel]:
    return list(GradeLevel.objects.order_by("number"))


def level_numbers() -> set[int]:
    return set(GradeLevel.objects.values_list("number", flat=True))


def level_choices() -> list[tuple[int, str]]:
    """(number, "3 敏感") for forms and filters."""
    return [(level.number, str(level)) for level in levels()]


def grade_label(level: int | None, category: str = GradeCategory.GENERAL, names: dict | None = None) -> str:
    """How a grade reads: the category for 重要 / 核心 data, else "3 敏感"; "" when ungraded."""
    if category and category != GradeCategory.GENERAL:
        return str(GradeCategory(category).label)
    if not level:
        return ""
    names = names if names is not None else dict(GradeLevel.objects.values_list("number", "name"))
    return f"{level} {names.get(level, '')}".strip()
