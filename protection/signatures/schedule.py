"""Periodic jobs of the signatures app (loaded by config.celery into beat's schedule).

Receipts are signed in a Merkle root every minute; the day root is signed at the day's last minute
(a run missed is caught up: what is unsealed is read from the database)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "signatures-seal-receipts": {"task": "protection.signatures.tasks.seal_receipts", "schedule": crontab()},
    "signatures-seal-day": {"task": "protection.signatures.tasks.seal_day", "schedule": crontab(hour=23, minute=59)},
}
