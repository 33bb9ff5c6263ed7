"""Settings of the detection rules, with their defaults; settings.DETECTION overrides any of them.

The thresholds of each rule are rows (DetectionRule), edited by the bureau in the browser; these are
the stream's mechanics and the clock the rules read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULTS = {
    # Entries read per batch of a pass (one transaction each).
    "BATCH": 2000,
    # Batches one pass reads at most (the next run of beat goes on from the cursor).
    "MAX_BATCHES": 50,
    # How far back late-committing entries are looked for (seconds); entries of a transaction
    # that stayed open longer than this after writing are not seen by the rules.
    "OVERLAP_SECONDS": 600,
    # How far back the very first pass starts (seconds): detection watches from when it is switched on.
    "START_BACK_SECONDS": 24 * 3600,
    # Working hours for grant use (local time; the calendar's working days, portal.workdays).
    "WORK_START": dt.time(8, 0),
    "WORK_END": dt.time(18, 30),
    # Night for reads of graded data: from NIGHT_START to NIGHT_END hours, local time.
    "NIGHT_START": 22,
    "NIGHT_END": 6,
    # Most audit entries attached to one firing (the count is in the alert).
    "MAX_EVIDENCE": 200,
}

ZONE = ZoneInfo("Asia/Shanghai")


def setting(name: str):
    overrides = getattr(settings, "DETECTION", None) or {}
    return overrides.get(name, DEFAULTS[name])


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZONE)
