"""Periodic jobs of detection (loaded by config.celery into beat's schedule): the pass over the audit
stream every two minutes; a missed run is caught up by the next, which starts at the cursor."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "detection-pass": {"task": "secops.detection.tasks.detect", "schedule": crontab(minute="*/2")},
}
