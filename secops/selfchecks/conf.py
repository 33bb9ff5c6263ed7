"""Settings of the security self-checks, with their defaults; settings.SELFCHECKS overrides any of them."""

from django.conf import settings

DEFAULTS = {
    # An active account not signed in for this many days is dormant (004: accounts are reviewed).
    "DORMANT_DAYS": 90,
    # Days of sign-ins a run reads for shared-account signals (one account, several addresses a day).
    "SHARED_ACCOUNT_DAYS": 31,
    "SHARED_ACCOUNT_ADDRESSES": 2,
    # Days back a run reads for department moves of users.
    "DEPARTMENT_MOVE_DAYS": 31,
    # An active grant not used for this many days is reported.
    "GRANT_UNUSED_DAYS": 90,
    # The audit chain must have been verified within this many days, successfully.
    "VERIFICATION_MAX_DAYS": 2,
    # The last backup no older than this many days; a restore drill at least this often.
    "BACKUP_MAX_DAYS": 1,
    "RESTORE_DRILL_MAX_DAYS": 183,
    # Certificates expiring within this many days; data keys older than this many days.
    "CERTIFICATE_WARN_DAYS": 30,
    "KEY_MAX_AGE_DAYS": 365,
    # Items a run lists at most per check (a report, not a dump).
    "MAX_FINDINGS_PER_CHECK": 200,
}


def setting(name: str):
    overrides = getattr(settings, "SELFCHECKS", None) or {}
    return overrides.get(name, DEFAULTS[name])
