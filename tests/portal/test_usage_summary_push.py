"""A5 / P2: the monthly usage summary reaches the data officers of the departments, once."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import UsageSummary
from audit.tasks import monthly_usage_summary
from portal.models import Notification

pytestmark = pytest.mark.django_db


def test_monthly_summary_is_pushed_once(officer):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    UsageSummary.objects.create(
        department_id=officer.department_id,
        role="provider",
        month=last_month,
        entry_count=7,
        figures={},
        computed_at=timezone.now(),
    )
    from audit.services.usage import usage_summaries_send

    summaries = list(UsageSummary.objects.all())
    usage_summaries_send(summaries)
    usage_summaries_send(summaries)
    notes = Notification.objects.filter(user=officer, kind="audit.usage_summary")
    assert notes.count() == 1 and "7 条记录" in notes.get().title
    assert monthly_usage_summary() >= 0  # the real task code runs end to end
