"""Celery tasks of the self-checks: thin wrappers around the services (safe to run twice at once)."""

from celery import shared_task

from secops.selfchecks.models import SelfCheckRun
from secops.selfchecks.services import runs


@shared_task
def execute_run(run_id: int) -> int | None:
    run = runs.execute_run(run_id)
    return run.pk if run else None


@shared_task
def monthly_selfcheck() -> int | None:
    run = runs.sweep(SelfCheckRun.Kind.MONTHLY)
    return run.pk if run else None


@shared_task
def half_yearly_selfcheck() -> int | None:
    run = runs.sweep(SelfCheckRun.Kind.HALF_YEARLY)
    return run.pk if run else None


@shared_task
def resume_queued_runs() -> list[int]:
    return runs.resume_queued()
