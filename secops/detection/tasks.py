"""Celery tasks of detection: thin wrappers around the pass (safe to run twice at once)."""

from celery import shared_task

from secops.detection.services import passes


@shared_task
def detect() -> int:
    return passes.run_pass().entries
