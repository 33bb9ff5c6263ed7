"""Working days on the Chinese official calendar (docs/features.md S4; deadlines of Lhasa art. 7, 19, 23)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from portal import workdays
from portal.models import CalendarDay, CalendarYear, MissingCalendarYear

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_labour_day_2026_pushes_five_working_days_to_monday_may_11():
    # 5-1..5-5 holiday, Sat 5-9 a make-up working day.
    deadline = workdays.add_working_days(at(2026, 4, 30), 5)
    assert deadline.astimezone(SH).date() == dt.date(2026, 5, 11)


def test_deadline_is_the_end_of_the_last_working_day_in_shanghai():
    deadline = workdays.add_working_days(at(2026, 3, 2, 9), 1)
    local = deadline.astimezone(SH)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 3), 23, 59)


def test_receipt_late_in_the_evening_utc_counts_on_the_shanghai_date():
    # 2026-03-02 17:00 UTC is Tuesday 01:00 in Shanghai: receipt day is Tuesday.
    received = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
    assert workdays.add_working_days(received, 1).astimezone(SH).date() == dt.date(2026, 3, 4)


def test_make_up_saturday_is_a_working_day_and_holiday_monday_is_not():
    assert workdays.is_workday(dt.date(2026, 5, 9))  # 劳动节调休上班 (Saturday)
    assert not workdays.is_workday(dt.date(2026, 5, 4))  # Monday inside the holiday
    assert not workdays.is_workday(dt.date(2026, 10, 1))  # 国庆节
    assert workdays.is_workday(dt.date(2026, 3, 4))  # ordinary Wednesday


def test_receipt_on_saturday_counts_from_monday():
    # Sat 2026-03-07: the next working day, Mon 3-9, is day 1; day 5 is Fri 3-13.
    assert workdays.add_working_days(at(2026, 3, 7), 5).date() == dt.date(2026, 3, 13)


def test_receipt_inside_national_day_holiday_counts_from_the_first_day_back():
    # 2026 National Day: 10-1..10-7 off; received Sat 10-3 → day 1 Thu 10-8, day 2 Fri 10-9,
    # day 3 Sat 10-10 (make-up working day).
    assert workdays.add_working_days(at(2026, 10, 3), 2).date() == dt.date(2026, 10, 9)
    assert workdays.add_working_days(at(2026, 10, 3), 3).date() == dt.date(2026, 10, 10)


def test_spring_festival_2026():
    # 2026 春节: 2-15 .. 2-23 off; Sat 2-14 and Sat 2-28 make-up working days.
    assert workdays.is_workday(dt.date(2026, 2, 14))
    assert not workdays.is_workday(dt.date(2026, 2, 16))
    assert workdays.add_working_days(at(2026, 2, 13), 1).date() == dt.date(2026, 2, 14)
    assert workdays.add_working_days(at(2026, 2, 14), 1).date() == dt.date(2026, 2, 24)


def test_working_days_between_is_the_inverse_of_add():
    start = at(2026, 4, 28)
    for n in (0, 1, 3, 5, 10, 20):
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n
    assert workdays.working_days_between(at(2026, 5, 11), at(2026, 4, 30)) == -5


def test_admin_rows_override_the_library():
    # The bureau admin declares an extra holiday on Wed 2026-03-04.
    CalendarDay.objects.create(date=dt.date(2026, 3, 4), kind=CalendarDay.Kind.HOLIDAY, name="临时休假")
    assert not workdays.is_workday(dt.date(2026, 3, 4))
    assert workdays.add_working_days(at(2026, 3, 3), 1).date() == dt.date(2026, 3, 5)


def test_library_decides_a_known_year_missing_from_the_table():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert workdays.add_working_days(at(2026, 4, 30), 5).date() == dt.date(2026, 5, 11)
    assert not MissingCalendarYear.objects.filter(year=2026).exists()


def test_unknown_year_falls_back_to_monday_to_friday_and_warns_the_admin():
    # 2027 is beyond chinese-calendar 1.11.0 and not in the table.
    assert not workdays.library_knows(2027)
    # Thu 2026-12-31 + 3 working days: Fri 2027-01-01 counts (no 2027 calendar), Mon 1-4, Tue 1-5.
    deadline = workdays.add_working_days(at(2026, 12, 31), 3)
    assert deadline.date() == dt.date(2027, 1, 5)
    assert MissingCalendarYear.objects.filter(year=2027).exists()
    assert 2027 in workdays.missing_calendar_years(today=dt.date(2026, 12, 1))


def test_deadline_crossing_new_year_uses_2026_holidays_then_weekdays_of_2027():
    # Fri 2026-12-25 + 5: 12-28, 12-29, 12-30, 12-31, then 2027-01-01 (a Friday, no calendar yet).
    assert workdays.add_working_days(at(2026, 12, 25), 5).date() == dt.date(2027, 1, 1)


def test_entering_the_missing_year_removes_the_warning_and_applies_it():
    workdays.add_working_days(at(2026, 12, 31), 3)
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    assert workdays.add_working_days(at(2026, 12, 31), 3).date() == dt.date(2027, 1, 6)
    assert 2027 not in workdays.missing_calendar_years(today=dt.date(2026, 12, 1))


def test_working_days_left_counts_down_and_goes_negative_when_overdue():
    deadline = workdays.add_working_days(at(2026, 4, 30), 5)  # end of 5-11
    assert workdays.working_days_left(deadline, now=at(2026, 4, 30)) == 5
    assert workdays.working_days_left(deadline, now=at(2026, 5, 11, 16)) == 0
    assert workdays.working_days_left(deadline, now=at(2026, 5, 12, 9)) == -1
