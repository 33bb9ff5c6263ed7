"""The periodic jobs of the open data app run on a real Celery worker on Redis (beat sends them)."""

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from openness.models import Dataset
from openness.services import usage
from openness.tasks import flush_usage, mark_stale
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_schedules_the_sweeps():
    assert {"openness-flush-usage", "openness-mark-stale", "openness-sweep-applications"} <= set(app.conf.beat_schedule)


def test_a_real_worker_counts_downloads_and_marks_stale_datasets(settings, officer, reviewer):
    dataset, version = published_dataset(officer, reviewer)
    for fmt in ("csv", "json"):
        usage.download_start(actor=None, dataset=dataset, version=version, fmt=fmt)
    Dataset.objects.filter(pk=dataset.pk).update(update_due_at=timezone.now() - dt.timedelta(hours=1))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert flush_usage.apply_async(queue=settings.CELERY_TASK_DEFAULT_QUEUE).get(timeout=30) == 2
        assert mark_stale.apply_async(queue=settings.CELERY_TASK_DEFAULT_QUEUE).get(timeout=30) == 1
    dataset.refresh_from_db()
    assert dataset.download_count == 2 and dataset.is_stale
