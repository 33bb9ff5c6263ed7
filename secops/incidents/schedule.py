"""Periodic jobs of the incident register (loaded by config.celery into beat's schedule): the deadlines
are counted in hours, so they are watched every five minutes; a missed run is caught up by the next,
because what is overdue is read from the database."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "incidents-sweep-overdue": {"task": "secops.incidents.tasks.sweep_overdue", "schedule": crontab(minute="*/5")},
}
