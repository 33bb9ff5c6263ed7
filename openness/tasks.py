"""Celery tasks of the open-data app: thin, idempotent wrappers around services."""

from celery import shared_task

from openness.services import applications, freshness, usage


@shared_task
def mark_stale() -> int:
    return freshness.mark_stale()


@shared_task
def sweep_overdue_applications() -> int:
    return applications.sweep_overdue()


@shared_task
def flush_usage() -> int:
    return usage.flush_usage()
