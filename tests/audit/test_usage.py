"""A5 (Lhasa art. 41): usage logs reach the providing and the using departments; a monthly summary per
department is computed and stored for the monthly notification (docs/features.md A5)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import tasks
from audit.models import AuditEntry, UsageSummary
from audit.selectors import usage_entries, usage_summaries
from audit.services import record
from audit.services.partitions import add_months, month_bounds, month_start
from audit.services.usage import usage_summaries_build
from portal.roles import Role
from tests.audit.conftest import make_entry
from tests.factories import DepartmentFactory, user_with_role

pytestmark = pytest.mark.django_db


class Resource:
    """Stands for another app's model that names its provider, as catalog's entries do."""

    def __init__(self, provider_id):
        self.audit_owner_department_id = provider_id


@pytest.fixture
def departments():
    provider, user_a, user_b = (
        DepartmentFactory(name="市统计局"),
        DepartmentFactory(name="市民政局"),
        DepartmentFactory(name="市教育局"),
    )
    return provider, user_a, user_b


def test_record_finds_the_provider_of_what_was_used(officer, staff):
    from portal.models import Department

    by_detail = record("sharing.grant.pull", actor=staff, detail={"provider_department_id": officer.department_id})
    assert by_detail.owner_department_id == officer.department_id
    # A model whose foreign key "provider" points to a department (e.g. a catalog entry).
    user = officer
    assert record("x", actor=staff, target=user).owner_department_id is None
    department = Department.objects.get(pk=officer.department_id)
    department.audit_owner_department_id = 4242
    assert record("x", actor=staff, target=department).owner_department_id == 4242


def test_usage_entries_for_the_provider_and_for_the_user(departments):
    provider, user_a, user_b = departments
    alice = user_with_role(Role.DEPARTMENT_STAFF, department=user_a)
    bob = user_with_role(Role.DEPARTMENT_STAFF, department=user_b)
    keeper = user_with_role(Role.DATA_OFFICER, department=provider)
    q = record("sharing.grant.query", actor=alice, detail={"provider_department_id": provider.pk})
    p = record("sharing.grant.pull", actor=bob, detail={"provider_department_id": provider.pk})
    own = record("catalog.entry.update", actor=keeper, detail={"provider_department_id": provider.pk})
    elsewhere = record("sharing.grant.query", actor=alice, detail={"provider_department_id": user_b.pk})
    record("auth.login", actor=alice)  # not about anyone's data
    since, until = timezone.now() - dt.timedelta(hours=1), timezone.now() + dt.timedelta(hours=1)
    assert list(usage_entries(department=provider, role="provider", since=since, until=until)) == [own, p, q]
    assert list(usage_entries(department=user_a, role="user", since=since, until=until)) == [elsewhere, q]
    assert list(usage_entries(department=user_a, role="provider", since=since, until=until)) == []
    assert (
        list(usage_entries(department=provider, role="provider", since=until, until=until + dt.timedelta(days=1))) == []
    )
    with pytest.raises(ValueError):
        usage_entries(department=provider, role="auditor", since=since, until=until)


def test_monthly_summary_per_department(departments):
    provider, user_a, user_b = departments
    alice = user_with_role(Role.DEPARTMENT_STAFF, department=user_a)
    alice2 = user_with_role(Role.DEPARTMENT_STAFF, department=user_a)
    bob = user_with_role(Role.DEPARTMENT_STAFF, department=user_b)
    last_month = add_months(month_start(timezone.localdate()), -1)
    start, _end = month_bounds(last_month)
    for actor, action in [
        (alice, "sharing.grant.query"),
        (alice2, "sharing.grant.query"),
        (bob, "sharing.grant.pull"),
        (alice, "openness.download"),
    ]:
        make_entry(at=start + dt.timedelta(days=3), actor=actor, action=action, owner=provider.pk)
    make_entry(at=start - dt.timedelta(days=3), actor=bob, action="sharing.grant.pull", owner=provider.pk)  # earlier
    assert tasks.monthly_usage_summary() == 3  # provider + two user departments
    summary = UsageSummary.objects.get(department_id=provider.pk, role="provider", month=last_month)
    assert summary.entry_count == 4 and summary.department_name == "市统计局"
    assert summary.figures["actions"] == {"openness.download": 1, "sharing.grant.pull": 1, "sharing.grant.query": 2}
    assert summary.figures["departments"][0] == {"department_id": user_a.pk, "name": "市民政局", "entries": 3}
    assert summary.figures["actors"] == 3
    mine = UsageSummary.objects.get(department_id=user_a.pk, role="user", month=last_month)
    assert mine.entry_count == 3 and mine.figures["departments"] == [
        {"department_id": provider.pk, "name": "市统计局", "entries": 3}
    ]
    assert usage_summaries_build(month=last_month)  # idempotent: replaced, not duplicated
    assert UsageSummary.objects.filter(month=last_month).count() == 3
    assert list(usage_summaries(month=last_month, department=user_b))[0].figures["actions"] == {"sharing.grant.pull": 1}


def test_the_usage_page_is_the_data_officers_of_their_department_only(client, departments):
    provider, user_a, _ = departments
    officer = user_with_role(Role.DATA_OFFICER, department=provider)
    alice = user_with_role(Role.DEPARTMENT_STAFF, department=user_a)
    used = record("sharing.grant.query", actor=alice, detail={"provider_department_id": provider.pk})
    client.force_login(officer)
    response = client.get(reverse("audit:usage"))
    assert response.status_code == 200 and "市民政局" in response.content.decode()
    assert "sharing.grant.query" in response.content.decode()
    assert AuditEntry.objects.filter(action="audit.usage.view", actor_id=officer.pk).exists()
    assert client.get(reverse("audit:usage"), {"since": "2026-02-01", "until": "2026-01-01"}).status_code == 400
    client.force_login(alice)
    assert client.get(reverse("audit:usage")).status_code == 403
    assert used.pk
