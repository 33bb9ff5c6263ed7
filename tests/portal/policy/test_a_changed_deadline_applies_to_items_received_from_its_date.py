"""Issue 19 part 4: a deadline length the bureau sets applies to items received on or after its
effective date; items received before keep the deadline counted when they arrived."""

import datetime as dt

from django.utils import timezone

from portal import policy, workdays
from portal.models import PolicySetting
from portal.services.policy import policy_set
from sharing.models import Deadline
from sharing.services import applications
from tests.sharing import factories


def clock(monkeypatch, moment):
    from types import SimpleNamespace

    fake = SimpleNamespace(
        now=lambda: moment,
        localdate=lambda value=None: timezone.localdate(value or moment),
        localtime=timezone.localtime,
    )
    monkeypatch.setattr(applications, "timezone", fake)


def noon(date):
    return dt.datetime.combine(date, dt.time(10), tzinfo=workdays.SHANGHAI)


def test_review_deadline_set_from_a_date_applies_to_applications_received_from_then(db, bureau_admin, monkeypatch):
    world = factories.world()
    effective = timezone.localdate() + dt.timedelta(days=7)
    policy_set(
        actor=bureau_admin, key="SHARE_REVIEW_WORKING_DAYS", value="10", effective_from=effective, reason="泗县办法"
    )
    clock(monkeypatch, noon(effective - dt.timedelta(days=1)))
    before = factories.apply(world)
    before_deadline = Deadline.objects.get(application=before)
    assert workdays.working_days_between(before_deadline.received_at, before_deadline.due_at) == 5

    # A second application of the same applicant needs another entry (one open application per entry).
    world.entry = factories.entry(world.provider_officer, world.reviewer, share_type="conditional")
    clock(monkeypatch, noon(effective))
    after = factories.apply(world)
    after_deadline = Deadline.objects.get(application=after)
    assert workdays.working_days_between(after_deadline.received_at, after_deadline.due_at) == 10

    # The application received before keeps its deadline, whatever is set later.
    before_deadline.refresh_from_db()
    assert workdays.working_days_between(before_deadline.received_at, before_deadline.due_at) == 5


def test_value_in_force_is_the_latest_row_on_or_before_the_date(db, bureau_admin, settings):
    today = timezone.localdate()
    assert policy.value("OBJECTION_WORKING_DAYS") == settings.PORTAL["OBJECTION_WORKING_DAYS"] == 5
    policy_set(actor=bureau_admin, key="OBJECTION_WORKING_DAYS", value="7", effective_from=today, reason="第一次")
    policy_set(
        actor=bureau_admin,
        key="OBJECTION_WORKING_DAYS",
        value="9",
        effective_from=today + dt.timedelta(days=30),
        reason="第二次",
    )
    assert policy.value("OBJECTION_WORKING_DAYS") == 7
    assert policy.value("OBJECTION_WORKING_DAYS", on=today + dt.timedelta(days=29)) == 7
    assert policy.value("OBJECTION_WORKING_DAYS", on=today + dt.timedelta(days=30)) == 9
    assert policy.value("OBJECTION_WORKING_DAYS", on=today - dt.timedelta(days=1)) == 5  # before any row: default
    assert list(PolicySetting.objects.filter(key="OBJECTION_WORKING_DAYS").values_list("value", flat=True)) == [
        "9",
        "7",
    ]


def test_the_environment_default_decides_without_a_row(db, settings):
    settings.PORTAL = {**settings.PORTAL, "CATALOG_UPDATE_WORKING_DAYS": 15}  # Hechi art. 13
    assert policy.value("CATALOG_UPDATE_WORKING_DAYS") == 15
    settings.OPEN_DATA = {**settings.OPEN_DATA, "APPLICATION_WORKING_DAYS": 7}
    from openness.conf import setting

    assert setting("APPLICATION_WORKING_DAYS") == 7


def test_a_value_set_is_read_through_the_cache_and_the_cache_follows_a_change(db, bureau_admin):
    today = timezone.localdate()
    assert policy.value("CATALOG_UPDATE_WORKING_DAYS") == 7  # cached now
    policy_set(actor=bureau_admin, key="CATALOG_UPDATE_WORKING_DAYS", value="10", effective_from=today, reason="泗县")
    assert policy.value("CATALOG_UPDATE_WORKING_DAYS") == 10
    from catalog.services.duties import update_deadline_days

    assert update_deadline_days() == 10
    policy_set(
        actor=bureau_admin, key="OPEN_DATA_APPLICATION_WORKING_DAYS", value="12", effective_from=today, reason="x"
    )
    from openness.conf import setting

    assert setting("APPLICATION_WORKING_DAYS") == 12
