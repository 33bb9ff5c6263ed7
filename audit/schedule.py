"""Periodic jobs of the audit app (loaded into beat by config/celery.py). Plain data."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "audit-seal": {"task": "audit.tasks.seal", "schedule": crontab()},  # every minute
    "audit-create-partitions": {"task": "audit.tasks.create_partitions", "schedule": crontab(minute=10, hour=1)},
    "audit-export-head": {"task": "audit.tasks.export_head", "schedule": crontab(minute=5, hour=0)},
    "audit-verify": {"task": "audit.tasks.verify", "schedule": crontab(minute=30, hour=2)},
    "audit-retention": {"task": "audit.tasks.apply_retention", "schedule": crontab(minute=0, hour=3)},
    "audit-usage-summary": {
        "task": "audit.tasks.monthly_usage_summary",
        "schedule": crontab(minute=0, hour=4, day_of_month=1),
    },
}

# SECURITY.md 14.20 (Lhasa art. 39 separation of duties): the bureau admin, whose work the audit records,
# may not switch these off, delete them or change their schedule; the admin site shows them
# read-only and beat restores them from this registry (config/beat.py).
PROTECTED = frozenset(BEAT_SCHEDULE)
