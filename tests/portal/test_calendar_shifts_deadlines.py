"""S4: an open deadline follows the calendar. When the bureau admin declares a holiday or a make-up
working day (调休) inside its window, it becomes the same number of working days from the same
receipt on the new calendar; deadlines already due, answered or warned stay as they were.

Deadlines are set in 2035 (a year chinese-calendar does not know: Monday to Friday until the admin
enters it), so they stay in the future whatever day the tests run."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from catalog.models import UpdateDuty
from catalog.services import duties
from openness.models import Application as OpenApplication
from openness.services import applications as open_applications
from portal import workdays
from portal.models import CalendarDay
from portal.roles import Role
from portal.services.calendar import calendar_day_remove, calendar_day_set, calendar_year_mark_complete
from sharing.models import Deadline
from sharing.services import applications as sharing_applications
from sharing.services import deadlines
from tests.catalog.factories import published
from tests.factories import user_with_role
from tests.openness.factories import published_dataset
from tests.sharing import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


def clock(monkeypatch, module, moment):
    """Run a service module at `moment` (the audit log keeps the real time)."""
    fake = SimpleNamespace(
        now=lambda: moment,
        localdate=lambda value=None: timezone.localdate(value or moment),
        localtime=timezone.localtime,
    )
    monkeypatch.setattr(module, "timezone", fake)


def day(moment):
    return timezone.localtime(moment, SH).date()


@pytest.fixture
def world(db):
    return factories.world(rows=False)


def review_deadline(world, monkeypatch, received, mode="query"):
    clock(monkeypatch, sharing_applications, received)
    application = factories.apply(world, end_date=dt.date(received.year, 12, 31), mode=mode)
    return Deadline.objects.get(application=application)


def test_a_holiday_inside_the_window_moves_a_review_deadline_later_and_its_removal_moves_it_back(
    world, monkeypatch, bureau_admin
):
    # Received Mon 2035-03-05: 5 working days are 3-6, 3-7, 3-8, 3-9, 3-12.
    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    assert day(deadline.due_at) == dt.date(2035, 3, 12) and deadline.remind_at == at(2035, 3, 9)

    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 7), kind=HOLIDAY, name="临时休假")
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 13))
    assert deadline.remind_at == at(2035, 3, 12)

    calendar_day_remove(actor=bureau_admin, date=dt.date(2035, 3, 7))
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 12))
    assert deadline.remind_at == at(2035, 3, 9)


def test_a_make_up_saturday_inside_the_window_moves_the_deadline_earlier(world, monkeypatch, bureau_admin):
    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 10), kind=WORKDAY, name="调休上班")
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 10))  # 3-6, 3-7, 3-8, 3-9, Sat 3-10


def test_a_change_outside_the_window_or_on_a_day_off_moves_nothing(world, monkeypatch, bureau_admin):
    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    due = deadline.due_at
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 13), kind=HOLIDAY)  # the day after
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 5), kind=HOLIDAY)  # the day of receipt
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 11), kind=HOLIDAY)  # a Sunday: already off
    deadline.refresh_from_db()
    assert deadline.due_at == due
    assert not AuditEntry.objects.filter(action="sharing.deadline.shift").exists()


def test_deadlines_already_due_and_answered_ones_stay_as_they_were(world, monkeypatch, bureau_admin):
    past = review_deadline(world, monkeypatch, at(2025, 3, 3, 10))  # due Mon 2025-03-10, long gone
    closed = review_deadline(world, monkeypatch, at(2035, 3, 5, 10), mode="compare")
    deadlines.deadline_close(subject=closed.application, now=at(2035, 3, 6, 9))
    open_one = review_deadline(world, monkeypatch, at(2035, 3, 5, 11), mode="statistics")
    before = {d.pk: d.due_at for d in (past, closed, open_one)}

    calendar_day_set(actor=bureau_admin, date=dt.date(2025, 3, 5), kind=HOLIDAY)
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 7), kind=HOLIDAY)
    after = dict(Deadline.objects.filter(pk__in=before).values_list("pk", "due_at"))
    assert after[past.pk] == before[past.pk]
    assert after[closed.pk] == before[closed.pk]
    assert after[open_one.pk] == workdays.end_of_day(dt.date(2035, 3, 13))


def test_an_audit_entry_names_each_moved_deadline(world, monkeypatch, bureau_admin):
    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 7), kind=HOLIDAY, name="临时休假")
    entry = AuditEntry.objects.get(action="sharing.deadline.shift", object_id=str(deadline.application_id))
    assert entry.actor_id == bureau_admin.pk
    assert entry.detail["deadline"] == deadline.pk and entry.detail["working_days"] == 5
    assert entry.detail["due_at_before"] == workdays.end_of_day(dt.date(2035, 3, 12)).isoformat()
    assert entry.detail["due_at"] == workdays.end_of_day(dt.date(2035, 3, 13)).isoformat()
    assert entry.detail["dates"] == ["2035-03-07"]
    calendar_entry = AuditEntry.objects.get(action="portal.calendar.set", detail__date="2035-03-07")
    assert calendar_entry.detail["deadlines_shifted"] == 1


def test_a_catalog_update_duty_moves_with_the_calendar(officer, reviewer, bureau_admin, monkeypatch):
    entry = published(officer, reviewer)
    clock(monkeypatch, duties, at(2035, 3, 5, 10))
    change = duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="《某条例》修订",
        effective_date=dt.date(2035, 3, 5),
    )
    duty = UpdateDuty.objects.get(change=change, entry=entry)
    assert day(duty.due_at) == dt.date(2035, 3, 14)  # 7 working days: 3-6 .. 3-9, 3-12 .. 3-14

    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 7), kind=HOLIDAY)
    duty.refresh_from_db()
    change.refresh_from_db()
    assert duty.due_at == change.due_at == workdays.end_of_day(dt.date(2035, 3, 15))
    assert AuditEntry.objects.filter(
        action="catalog.duty.shift", object_id=str(entry.pk), detail__duty=duty.pk
    ).exists()


def test_an_open_data_application_and_its_re_review_move_with_the_calendar(
    officer, reviewer, public_user, bureau_admin
):
    dataset, _v = published_dataset(officer, reviewer, open_type="on_application", open_condition="用于科研，须申请")
    pending = open_applications.application_submit(
        actor=public_user, dataset=dataset, purpose="研究企业分布", intended_use="统计分析，不对外提供"
    )
    received = at(2035, 3, 5, 10)
    OpenApplication.objects.filter(pk=pending.pk).update(
        submitted_at=received, due_at=workdays.add_working_days(received, 5)
    )
    rereview = open_applications.application_submit(
        actor=user_with_role(Role.PUBLIC), dataset=dataset, purpose="研究企业分布", intended_use="统计分析"
    )
    OpenApplication.objects.filter(pk=rereview.pk).update(
        status=OpenApplication.Status.REREVIEW,
        submitted_at=at(2035, 2, 1),
        due_at=at(2035, 2, 8),
        rereview_requested_at=received,
        rereview_due_at=workdays.add_working_days(received, 5),
    )

    calendar_day_set(actor=bureau_admin, date=dt.date(2035, 3, 7), kind=HOLIDAY)
    pending.refresh_from_db()
    rereview.refresh_from_db()
    assert pending.due_at == workdays.end_of_day(dt.date(2035, 3, 13))
    assert rereview.rereview_due_at == workdays.end_of_day(dt.date(2035, 3, 13))
    assert rereview.due_at == at(2035, 2, 8)  # its first deadline is history
    assert AuditEntry.objects.filter(action="openness.application.shift", object_id=str(pending.pk)).exists()
    assert AuditEntry.objects.filter(action="openness.application.rereview_shift", object_id=str(rereview.pk)).exists()


def test_marking_a_year_complete_that_changes_no_day_moves_nothing(world, monkeypatch, bureau_admin):
    # 2035 was already counted Monday to Friday: entering it as complete changes no date.
    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    calendar_year_mark_complete(actor=bureau_admin, year=2035)
    deadline.refresh_from_db()
    assert day(deadline.due_at) == dt.date(2035, 3, 12)
    assert AuditEntry.objects.get(action="portal.calendar.year_complete").detail["deadlines_shifted"] == 0


def test_edits_in_the_admin_back_office_move_deadlines_too(world, monkeypatch, client):
    """The bureau admin may also edit calendar rows in the back office (/admin/): adding, moving and
    deleting a holiday there shifts the open deadlines like the calendar page does."""
    from django.contrib.auth import get_user_model

    deadline = review_deadline(world, monkeypatch, at(2035, 3, 5, 10))
    superuser = get_user_model().objects.create_superuser("cal_admin", "cal@example.com", "x-Pass-2035")
    client.force_login(superuser)
    response = client.post("/admin/portal/calendarday/add/", {"date": "2035-03-07", "kind": HOLIDAY, "name": "临时"})
    assert response.status_code == 302, response.content.decode()[:2000]
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 13))
    row = CalendarDay.objects.get(date=dt.date(2035, 3, 7))
    client.post(f"/admin/portal/calendarday/{row.pk}/change/", {"date": "2035-03-20", "kind": HOLIDAY, "name": "临时"})
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 12))  # 3-7 is a working day again
    client.post(f"/admin/portal/calendarday/{row.pk}/delete/", {"post": "yes"})
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    deadline.refresh_from_db()
    assert deadline.due_at == workdays.end_of_day(dt.date(2035, 3, 12))
