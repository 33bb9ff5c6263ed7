"""The grading rules' settings, each with its documented default (docs/grading.md).

Read through ``setting(name)`` so that a settings module without one of them still gets the
default here (the same defaults as config/settings/base.py).
"""

from django.conf import settings

DEFAULTS = {
    # Items of this level or above are sensitive: masked in every share unless the grant names them
    # unmasked, and kept encrypted at rest (Sixian art. 39 脱敏、加密认证; Tongren art. 22).
    "PROTECTION_SENSITIVE_LEVEL": 3,
    # Entries of this level or above, and 重要数据, need the bureau's co-approval (会签) of a
    # conditional share, and get a shorter default expiry (days).
    "PROTECTION_CO_APPROVAL_LEVEL": 4,
    "PROTECTION_CO_APPROVAL_GRANT_DAYS": 90,
    # 核心数据 may be granted outside its providing department only by the bureau administrator.
    "PROTECTION_CORE_NEEDS_ADMIN": True,
    # Only items of this level or below may be opened to the public (level 1 公开).
    "PROTECTION_OPEN_MAX_LEVEL": 1,
    # Downloads and pulls of data with items of this level or above are audited with their row count,
    # and limited to this many rows per grant and day (0: no limit besides the sharing quotas).
    "PROTECTION_AUDITED_LEVEL": 3,
    "PROTECTION_SENSITIVE_DAILY_ROWS": 0,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
