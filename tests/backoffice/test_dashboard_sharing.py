"""P3 with sharing: reviews on time and overdue, grants given and held, rows served, calls made —
equal to a hand-computed expectation."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.dashboard import figures
from sharing.models import Deadline
from sharing.services import applications, use
from tests.sharing import factories

pytestmark = pytest.mark.django_db


def test_sharing_figures(db):
    w = factories.world()
    on_time = factories.apply(w)
    grant = applications.application_approve(actor=w.provider_officer, application=on_time)
    late = factories.apply(w)
    now = timezone.now()
    # Both answers fall due today: one was given in time, the other is still open past its deadline.
    Deadline.objects.filter(application=on_time).update(due_at=now + dt.timedelta(minutes=30))
    Deadline.objects.filter(application=late).update(due_at=now - dt.timedelta(minutes=30))
    use.grant_query(actor=w.applicant, grant=grant)
    use.grant_query(actor=w.applicant, grant=grant, page=2)
    year = timezone.localdate().year
    data = figures.table(year, department_ids=[w.provider.pk, w.department.pk])
    rows_by_name = {r["department"].pk: r["values"] for r in data["rows"]}
    provider, user = rows_by_name[w.provider.pk], rows_by_name[w.department.pk]
    assert provider["sharing_due"] == 2
    assert provider["sharing_on_time_rate"] == 50.0 and provider["sharing_overdue"] == 1
    assert provider["sharing_grants_given"] == 1 and user["sharing_grants_held"] == 1
    assert user["sharing_calls_made"] == 2
    served = min(len(w.rows), 50) + max(0, min(len(w.rows) - 50, 50))
    assert provider["sharing_rows_served"] == served
