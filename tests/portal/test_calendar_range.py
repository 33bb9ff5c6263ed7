"""SECURITY.md 22.1 and 22.2: the working-day calendar accepts one range of years everywhere (settings
CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR, 2004..2100): deadline computations, the bureau admin's writes
(services and Django admin), reads. Outside it: CalendarRangeError (HTTP 400) naming the range, never
an OverflowError at Python's year 9999 and never a year in the missing-years table."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from portal import workdays
from portal.models import CalendarDay, CalendarYear, MissingCalendarYear
from portal.services.calendar import calendar_day_remove, calendar_day_set, calendar_year_mark_complete

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_the_range_is_2004_to_2100_by_default_and_the_message_names_it():
    assert workdays.year_range() == (2004, 2100)
    assert "2004 年至 2100 年" in workdays.range_message()
    assert "2004-01-01 至 2100-12-31" in workdays.range_message()


@pytest.mark.parametrize(
    "start",
    [
        dt.date(9999, 12, 31),
        dt.date(1, 1, 1),
        dt.date(2003, 12, 31),
        dt.date(2101, 1, 1),
        dt.datetime(9999, 12, 31, 23, tzinfo=SH),
    ],
)
def test_a_deadline_from_outside_the_range_is_refused_not_overflowed(start):
    for compute in (workdays.add_working_days, workdays.estimate_deadline):
        with pytest.raises(workdays.CalendarRangeError) as refused:
            compute(start, 1)
        assert refused.value.status_code == 400 and refused.value.code == "date_out_of_range"
    assert not MissingCalendarYear.objects.exists()


def test_a_deadline_that_would_end_after_the_last_year_is_refused():
    assert workdays.estimate_deadline(dt.date(2100, 12, 28), 2).deadline.date() == dt.date(2100, 12, 30)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.add_working_days(dt.date(2100, 12, 28), 30)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.working_days_between(dt.date(2100, 12, 1), dt.date(2101, 1, 5))
    assert not MissingCalendarYear.objects.filter(year=2101).exists()


def test_the_range_is_one_setting(settings):
    settings.PORTAL = {**settings.PORTAL, "CALENDAR_LAST_YEAR": 2050}
    with pytest.raises(workdays.CalendarRangeError) as refused:
        workdays.add_working_days(dt.date(2051, 3, 1), 1)
    assert "2050" in str(refused.value.message)
    assert workdays.add_working_days(dt.date(2050, 3, 1), 1).date() == dt.date(2050, 3, 2)


@pytest.mark.parametrize("date", [dt.date(2101, 1, 1), dt.date(2003, 10, 1), dt.date(9999, 12, 31)])
def test_the_bureau_admin_cannot_write_a_date_outside_the_range(bureau_admin, date):
    with pytest.raises(workdays.CalendarRangeError):
        calendar_day_set(actor=bureau_admin, date=date, kind=CalendarDay.Kind.HOLIDAY, name="x")
    with pytest.raises(workdays.CalendarRangeError):
        calendar_day_remove(actor=bureau_admin, date=date)
    with pytest.raises(workdays.CalendarRangeError):
        calendar_year_mark_complete(actor=bureau_admin, year=date.year)
    assert not CalendarDay.objects.filter(date=date).exists()
    assert not CalendarYear.objects.filter(year=date.year).exists()


def test_marking_a_year_complete_uses_the_same_range(bureau_admin):
    # Before SECURITY.md 22.2 this service had its own 2000..2100, the rest of the calendar none.
    with pytest.raises(workdays.CalendarRangeError):
        calendar_year_mark_complete(actor=bureau_admin, year=2001)
    assert calendar_year_mark_complete(actor=bureau_admin, year=2100).year == 2100


def _admin_client(bureau_admin):
    client = Client()
    client.force_login(bureau_admin)
    return client


@pytest.mark.parametrize("date", ["9999-12-31", "2101-01-01", "2003-12-31"])
def test_the_django_admin_refuses_a_calendar_day_outside_the_range(bureau_admin, date):
    response = _admin_client(bureau_admin).post(
        reverse("admin:portal_calendarday_add"), {"date": date, "kind": "holiday", "name": "x"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "2004 年至 2100 年" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date).exists()


@pytest.mark.parametrize("year", ["9999", "2101", "0"])
def test_the_django_admin_refuses_a_complete_year_outside_the_range(bureau_admin, year):
    response = _admin_client(bureau_admin).post(reverse("admin:portal_calendaryear_add"), {"year": year, "source": "x"})
    assert response.status_code == 200
    assert not CalendarYear.objects.filter(year=int(year)).exists()


@pytest.mark.parametrize(
    "query",
    [
        "date__year=0",
        "date__year=10000",
        "date__gte=0001-01-01",
        "date__lte=9999-12-31",
        "date__month=13",
        "date__day=0",
    ],
)
def test_the_django_admin_calendar_list_never_fails_on_a_hostile_filter(bureau_admin, query):
    response = _admin_client(bureau_admin).get(reverse("admin:portal_calendarday_changelist") + "?" + query)
    assert response.status_code in (200, 302)
