"""Settings of the sharing app, with their defaults; settings.SHARING overrides any of them."""

import datetime as dt

from django.conf import settings

from portal import policy

DEFAULTS = {
    # docs/features.md S5: statistics suppress groups with fewer rows than this.
    "MIN_GROUP_SIZE": 5,
    # docs/features.md S1: the initial state of the bureau's switch "grant unconditional applications at once"
    # (the bureau admin changes it on the scenarios page; the database row decides afterwards).
    "AUTO_GRANT_UNCONDITIONAL": False,
    # An unconditional application that names no end date gets this many days.
    "DEFAULT_GRANT_DAYS": 365,
    # No grant runs longer than this many days (minimum grant, Lhasa art. 22).
    "MAX_GRANT_DAYS": 3 * 365,
    # Rows claimed per transaction by the deadline sweep.
    "SWEEP_BATCH": 200,
    # SECURITY.md 14.3: statistics are refused when the filtered rows are fewer than this (the answer does
    # not say how many there are).
    "MIN_FILTERED_ROWS": 10,
    # SECURITY.md 14.6: grant use (API and pages) per user and per grant and holder department, in
    # Django REST framework's rate format ("60/min", "1000/hour").
    "RATE_PER_USER": "60/min",
    "RATE_PER_GRANT": "120/min",
    # SECURITY.md 14.6: a grant's daily quotas when the provider set none: successful uses, and rows
    # returned by 查阅 and 获取 (counted per Asia/Shanghai day).
    "DAILY_CALLS": 10_000,
    "DAILY_ROWS": 1_000_000,
    # SECURITY.md 14.3: 比对 calls per grant, record (key value) and day: verifying a value needs a few,
    # guessing one by trial needs many.
    "COMPARES_PER_RECORD": 10,
}


def setting(name: str):
    overrides = getattr(settings, "SHARING", None) or {}
    return overrides.get(name, DEFAULTS[name])


def review_working_days(on: dt.date | None = None) -> int:
    """Lhasa art. 19, Hechi (second document) art. 28: conditional requests answered in 5 working days;
    the bureau sets its city's length in the portal (portal.policy), read when the request arrives."""
    return policy.working_days("SHARE_REVIEW_WORKING_DAYS", on)


def objection_working_days(on: dt.date | None = None) -> int:
    """Lhasa art. 23: objections re-checked within 5 working days (portal.policy, read when raised)."""
    return policy.working_days("OBJECTION_WORKING_DAYS", on)
