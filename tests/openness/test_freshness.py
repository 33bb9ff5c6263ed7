"""O6: each dataset promises an update frequency; the periodic job marks overdue ones stale, shown
publicly until a new version is published or the department confirms the data is current."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from openness.models import Dataset
from openness.services import freshness, publishing
from openness.tasks import mark_stale
from portal.models import Notification
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


def test_the_promised_update_follows_the_frequency(officer, reviewer):
    dataset, version = published_dataset(officer, reviewer, update_frequency="monthly")
    assert dataset.update_due_at == version.published_at + dt.timedelta(days=31)
    assert freshness.update_due(timezone.now(), "irregular") is None


def test_a_stale_dataset_is_marked_and_shown_publicly(client, officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, update_frequency="daily")
    assert mark_stale() == 0
    Dataset.objects.filter(pk=dataset.pk).update(update_due_at=timezone.now() - dt.timedelta(hours=2))
    assert mark_stale() == 1
    assert mark_stale() == 0  # marked once
    dataset.refresh_from_db()
    assert dataset.is_stale
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert 'data-testid="stale-notice"' in page and "已过更新期" in page
    listing = client.get(reverse("openness:datasets")).content.decode()
    assert 'data-testid="stale-badge"' in listing
    assert AuditEntry.objects.filter(action="openness.dataset.stale").count() == 1
    assert Notification.objects.filter(user=officer, kind="openness.stale").count() == 1


def test_confirming_the_data_or_publishing_a_new_version_lifts_the_mark(officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, update_frequency="weekly")
    Dataset.objects.filter(pk=dataset.pk).update(update_due_at=timezone.now() - dt.timedelta(hours=2))
    mark_stale()
    publishing.dataset_confirm_current(actor=officer, dataset=dataset, note="本周无变化")
    dataset.refresh_from_db()
    assert not dataset.is_stale and dataset.update_due_at > timezone.now() + dt.timedelta(days=6)


def test_withdrawn_and_irregular_datasets_are_never_stale(officer, reviewer):
    irregular, _v = published_dataset(officer, reviewer, update_frequency="irregular")
    withdrawn, _v = published_dataset(officer, reviewer, name="另一数据集", update_frequency="daily")
    publishing.dataset_withdraw(actor=officer, dataset=withdrawn, reason="停用")
    Dataset.objects.filter(pk=withdrawn.pk).update(update_due_at=timezone.now() - dt.timedelta(days=3))
    assert mark_stale() == 0
    assert Dataset.objects.get(pk=irregular.pk).update_due_at is None
