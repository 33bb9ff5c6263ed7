"""Settings of the sharing app, with their defaults; settings.SHARING overrides any of them."""
from django.conf import settings

DEFAULTS = {
    # Spec S5: statistics suppress groups with fewer rows than this.
    "MIN_GROUP_SIZE": 5,
    # Spec S1: the initial state of the bureau's switch "grant unconditional applications at once"
    # (the bureau admin changes it on the scenarios page; the database row decides afterwards).
    "AUTO_GRANT_UNCONDITIONAL": False,
    # An unconditional application that names no end date gets this many days.
    "DEFAULT_GRANT_DAYS": 365,
    # No grant runs longer than this many days (minimum grant, Lhasa art. 22).
    "MAX_GRANT_DAYS": 3 * 365,
    # Rows claimed per transaction by the deadline sweep.
    "SWEEP_BATCH": 200,
}


def setting(name: str):
    overrides = getattr(settings, "SHARING", None) or {}
    return overrides.get(name, DEFAULTS[name])


def review_working_days() -> int:
    """Lhasa art. 19, Hechi (second document) art. 28: conditional requests answered in 5 working days."""
    return settings.PORTAL["SHARE_REVIEW_WORKING_DAYS"]


def objection_working_days() -> int:
    """Lhasa art. 23: objections re-checked within 5 working days."""
    return settings.PORTAL["OBJECTION_WORKING_DAYS"]
