"""Celery tasks of the sharing app: thin wrappers around the sweeps (safe to run twice at once)."""

from celery import shared_task

from sharing.services import deadlines, grants


@shared_task
def sweep_deadlines() -> dict:
    return deadlines.sweep_deadlines()


@shared_task
def sweep_expired_grants() -> int:
    expired = grants.sweep_expired_grants()
    grants.notify_expiring_grants()
    return expired
