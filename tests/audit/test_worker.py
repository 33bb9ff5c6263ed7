"""The audit jobs run as real Celery tasks on the Redis broker (never eager): the seal job through a
worker seals what web requests recorded."""

import pytest
from celery.contrib.testing.worker import start_worker

from audit.models import AuditBlock
from audit.services import record
from config.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_runs_the_seal_and_partition_jobs(settings, officer):
    entry = record("test.operation", actor=officer)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert app.tasks["audit.tasks.seal"].apply_async(queue=settings.CELERY_TASK_DEFAULT_QUEUE).get(timeout=30) == 1
        names = (
            app.tasks["audit.tasks.create_partitions"]
            .apply_async(queue=settings.CELERY_TASK_DEFAULT_QUEUE)
            .get(timeout=30)
        )
    assert entry.pk in AuditBlock.objects.get().entry_ids
    assert len(names) == settings.AUDIT_PARTITIONS_AHEAD_MONTHS + 2


def test_the_beat_schedule_lists_every_audit_job():
    from audit.schedule import BEAT_SCHEDULE

    tasks = {job["task"] for job in BEAT_SCHEDULE.values()}
    assert tasks == {
        "audit.tasks.seal",
        "audit.tasks.create_partitions",
        "audit.tasks.export_head",
        "audit.tasks.verify",
        "audit.tasks.apply_retention",
        "audit.tasks.monthly_usage_summary",
    }
    assert set(BEAT_SCHEDULE) <= set(app.conf.beat_schedule)
    for name in tasks:
        assert name in app.tasks
