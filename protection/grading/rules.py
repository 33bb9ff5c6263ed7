"""What a grade demands, one function per rule; sharing and openness ask these (docs/grading.md).

Sixian art. 39 (数据分类分级安全防护: protection by grade, 脱敏), Lhasa art. 39 (分级分类管理,
separation of duties) and Tongren art. 29 (only data fit for it is opened, after masking). Each
rule reads its setting through protection.grading.conf, so a deployment changes the level it
starts at without code.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .conf import setting
from .constants import GradeCategory
from .services import Grade, item_grade, item_level


def needs_co_approval(grade: Grade) -> bool:
    """A conditional share of an entry at PROTECTION_CO_APPROVAL_LEVEL (default 4) or of 重要数据 needs
    the bureau's co-approval (会签) besides the provider's approval. 核心数据 goes further
    (needs_bureau_admin)."""
    if grade.is_core:
        return False
    return grade.is_important or grade.level >= setting("PROTECTION_CO_APPROVAL_LEVEL")


def needs_bureau_admin(grade: Grade) -> bool:
    """核心数据 is granted outside its providing department only by the bureau administrator."""
    return grade.is_core and bool(setting("PROTECTION_CORE_NEEDS_ADMIN"))


def longest_grant_days(grade: Grade, default: int) -> int:
    """The default and longest grant period: PROTECTION_CO_APPROVAL_GRANT_DAYS for the entries that
    need co-approval or the bureau administrator, else the sharing default."""
    if needs_co_approval(grade) or grade.is_core:
        return min(default, setting("PROTECTION_CO_APPROVAL_GRANT_DAYS"))
    return default


def may_open(item) -> bool:
    """Tongren art. 29: only items at PROTECTION_OPEN_MAX_LEVEL (default 1 公开) or below are opened
    as they are."""
    return item_level(item) <= setting("PROTECTION_OPEN_MAX_LEVEL")


def may_open_masked(item) -> bool:
    """An item above the open level is opened only as its masked value (Tongren art. 29 脱敏后开放),
    and never when it is 高度敏感 (PROTECTION_CO_APPROVAL_LEVEL), 重要数据 or 核心数据."""
    grade = item_grade(item)
    return grade.category == GradeCategory.GENERAL and grade.level < setting("PROTECTION_CO_APPROVAL_LEVEL")


def open_refusal(items) -> str | None:
    """The Chinese refusal naming the items that may not be opened even masked, or None."""
    refused = [f"{item.name}（{item.key}）" for item in items if not may_open(item) and not may_open_masked(item)]
    if not refused:
        return None
    return _("以下信息项分级为高度敏感、重要数据或核心数据，不能开放：%(i)s") % {"i": "、".join(refused)}


def is_audited(grade: Grade) -> bool:
    """Downloads and pulls of an entry at PROTECTION_AUDITED_LEVEL (default 3) or above are audited
    with their row count and count against PROTECTION_SENSITIVE_DAILY_ROWS."""
    return grade.level >= setting("PROTECTION_AUDITED_LEVEL") or grade.is_important or grade.is_core


def daily_row_limit(grade: Grade) -> int:
    """Rows such an entry may give one grant (or one downloader) a day; 0: no limit of grading's own."""
    return int(setting("PROTECTION_SENSITIVE_DAILY_ROWS") or 0) if is_audited(grade) else 0
