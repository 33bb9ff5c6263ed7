"""Periodic jobs of the sharing app (loaded by config.celery into beat's schedule).

Deadlines are rows swept every few minutes; a sweep that was missed (worker or Redis down) is
caught up by the next one, because what is due is read from the database, not from a queue."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "sharing-sweep-deadlines": {"task": "sharing.tasks.sweep_deadlines", "schedule": crontab(minute="*/5")},
    "sharing-sweep-expired-grants": {"task": "sharing.tasks.sweep_expired_grants", "schedule": crontab(minute="*/15")},
}
