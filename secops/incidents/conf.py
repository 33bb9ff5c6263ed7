"""Settings of the incident register, with their defaults; settings.INCIDENTS overrides any of them.

Deadlines are counted in clock hours from the report, nights and holidays included: an incident does
not wait for a working day (Tongren art. 36 "立即", Sixian art. 39 "及时"; the hours follow the
national reporting rules for network security incidents, which count 较大 and above in one hour)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULTS = {
    # Hours from the report to the bureau's first response (the incident taken in hand), per level.
    "RESPONSE_HOURS": {"general": 24, "larger": 4, "major": 2, "critical": 1},
    # Hours from the report to the report to the competent authority, per level.
    "UPWARD_HOURS": {"general": 24, "larger": 1, "major": 1, "critical": 1},
    # Who receives the report upward (printed in it; the bureau edits the template for the rest).
    "AUTHORITY": "市委网信办、市公安局网络安全保卫部门",
    # Largest evidence file accepted, in bytes.
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
}


def setting(name: str):
    overrides = getattr(settings, "INCIDENTS", None) or {}
    return overrides.get(name, DEFAULTS[name])


def response_due(level: str, reported_at: dt.datetime) -> dt.datetime:
    return reported_at + dt.timedelta(hours=setting("RESPONSE_HOURS")[level])


def upward_due(level: str, reported_at: dt.datetime) -> dt.datetime:
    return reported_at + dt.timedelta(hours=setting("UPWARD_HOURS")[level])
