"""Settings of the open-data app, with their defaults (settings.OPEN_DATA overrides them; see the
"Open data" section of config/settings/base.py)."""

from django.conf import settings

from portal import policy

DEFAULTS = {
    # Hechi (second document) art. 28, Lhasa art. 19: the provider answers an application for
    # 依申请开放 data within 5 working days.
    "APPLICATION_WORKING_DAYS": 5,
    # Lhasa art. 30: the applicant may ask the bureau to re-review; it answers within this many working days.
    "REREVIEW_WORKING_DAYS": 5,
    # An approved application gives access for this many days.
    "GRANT_DAYS": 365,
    # Public API calls per minute: per API key, per address without a key, and per address in all.
    "RATE_KEY_PER_MINUTE": 600,
    "RATE_ANONYMOUS_PER_MINUTE": 60,
    "RATE_ADDRESS_PER_MINUTE": 1200,
    # SECURITY.md 14.16: an API key expires this many days after it was created or last renewed (0: never).
    "API_KEY_DAYS": 365,
    # Registrations per address and hour.
    "REGISTRATIONS_PER_HOUR": 10,
    # Redis of the rate limits (None: settings.REDIS_URL).
    "REDIS_URL": None,
    # A dataset is stale this many days after its promised update was due (Lhasa art. 37).
    "STALE_GRACE_DAYS": 0,
    # Rows shown on a dataset's page.
    "PREVIEW_ROWS": 10,
    # Largest uploaded file (bytes).
    "UPLOAD_MAX_BYTES": 200 * 1024 * 1024,
}


# Deadline lengths the bureau sets in the portal (portal.policy; issue 19): the value in force today,
# read when the application or the re-review request arrives. settings.OPEN_DATA stays the default.
POLICY_KEYS = {
    "APPLICATION_WORKING_DAYS": "OPEN_DATA_APPLICATION_WORKING_DAYS",
    "REREVIEW_WORKING_DAYS": "OPEN_DATA_REREVIEW_WORKING_DAYS",
}


def setting(name: str):
    if name in POLICY_KEYS:
        return policy.value(POLICY_KEYS[name])
    overrides = getattr(settings, "OPEN_DATA", None) or {}
    return overrides.get(name, DEFAULTS[name])
