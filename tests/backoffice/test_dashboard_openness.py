"""P3 with open data: datasets published and downloads per period (downloads from the audit log)."""

import pytest
from django.utils import timezone

from openness.services import usage
from portal.dashboard import figures
from tests.openness import factories

pytestmark = pytest.mark.django_db


def test_open_data_figures(officer, reviewer):
    dataset, version = factories.published_dataset(officer, reviewer)
    for _ in range(3):
        usage.download_start(actor=None, dataset=dataset, version=version, fmt="csv")
    data = figures.table(timezone.localdate().year, department_ids=[officer.department_id])
    values = data["rows"][0]["values"]
    assert (values["open_datasets"], values["open_published"], values["open_downloads"]) == (1, 1, 3)
    last_year = figures.table(timezone.localdate().year - 1, department_ids=[officer.department_id])
    assert last_year["rows"][0]["values"]["open_downloads"] == 0


def test_answers_to_applications_on_time_and_late(officer, reviewer):
    """Lhasa art. 33: the provider answers 依申请开放 applications within the deadline; the evaluation
    counts the deadlines that passed in the period, answered by then or not; a running one counts nowhere."""
    import datetime as dt

    from openness.models import Application
    from openness.services import applications
    from portal.roles import Role
    from tests.factories import user_with_role

    dataset, _v = factories.published_dataset(officer, reviewer, open_type="on_application", open_condition="须申请")
    now = timezone.now()
    made = [
        applications.application_submit(
            actor=user_with_role(Role.PUBLIC), dataset=dataset, purpose=f"研究{n}", intended_use="统计分析"
        )
        for n in range(4)
    ]
    on_time, late, unanswered, running = made
    applications.application_approve(actor=officer, application=on_time, answer="同意")
    applications.application_approve(actor=officer, application=late, answer="同意")
    Application.objects.filter(pk=on_time.pk).update(
        due_at=now - dt.timedelta(hours=1), answered_at=now - dt.timedelta(hours=2)
    )
    Application.objects.filter(pk=late.pk).update(
        due_at=now - dt.timedelta(hours=3), answered_at=now - dt.timedelta(hours=1)
    )
    Application.objects.filter(pk=unanswered.pk).update(due_at=now - dt.timedelta(hours=1))
    Application.objects.filter(pk=running.pk).update(due_at=now + dt.timedelta(hours=1))
    values = figures.table(timezone.localdate().year, department_ids=[officer.department_id])["rows"][0]["values"]
    assert (
        values["open_applications_due"],
        values["open_applications_on_time_rate"],
        values["open_applications_overdue"],
    ) == (3, round(100 / 3, 1), 2)


def test_catalog_completeness_is_the_share_of_entries_with_loaded_data(officer, reviewer):
    from tests.catalog.factories import published

    factories.published_dataset(officer, reviewer)  # its entry's rows are loaded
    published(officer, reviewer, name="未归集资源")
    values = figures.table(timezone.localdate().year, department_ids=[officer.department_id])["rows"][0]["values"]
    assert (values["catalog_entries"], values["catalog_loaded_rate"]) == (2, 50.0)
