"""Celery tasks of the incident register: thin wrappers around the sweeps (safe to run twice at once)."""

from celery import shared_task

from secops.incidents.services import deadlines


@shared_task
def sweep_overdue() -> int:
    return deadlines.sweep_overdue()
