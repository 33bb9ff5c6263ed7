"""Working days on the Chinese official calendar (holidays and make-up working days, 调休).

Every deadline of the portal (Lhasa art. 7, 19, 23; Sixian art. 19, 27; Hechi art. 13, 28) is
counted here. A date is decided, in this order, by:
1. a row of CalendarDay (the bureau admin's table, seeded from chinese-calendar);
2. a year recorded as complete in CalendarYear: any other date of it is Monday to Friday;
3. the chinese-calendar library, for the years it knows (2004-2026 in 1.11.0);
4. Monday to Friday, and the year is recorded in MissingCalendarYear so the bureau admin is
   warned on their home page that its official calendar is missing.
Dates are local dates in Asia/Shanghai.
"""
from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import CalendarDay, CalendarYear, MissingCalendarYear

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# chinese-calendar raises NotImplementedError outside the years it knows; ask it which.
_LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
# Safety net for loops: no real deadline spans more than this many calendar days.
_MAX_SPAN_DAYS = 3660


def library_knows(year: int) -> bool:
    return year in _LIBRARY_YEARS


class WorkdayCalendar:
    """A snapshot of the calendar table, read once per computation (a few hundred rows at most)."""

    def __init__(self):
        self._days: dict[dt.date, str] = {}
        self._complete_years: set[int] = set()
        self._loaded_years: set[int] = set()
        self.missing_years: set[int] = set()

    def _load_year(self, year: int) -> None:
        if year in self._loaded_years:
            return
        self._loaded_years.add(year)
        for date, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind"):
            self._days[date] = kind
        if CalendarYear.objects.filter(year=year).exists():
            self._complete_years.add(year)

    def is_workday(self, date: dt.date) -> bool:
        self._load_year(date.year)
        kind = self._days.get(date)
        if kind is not None:
            return kind == CalendarDay.Kind.WORKDAY
        if date.year in self._complete_years:
            return date.weekday() < 5
        if library_knows(date.year):
            return chinese_calendar.is_workday(date)
        self.missing_years.add(date.year)
        return date.weekday() < 5

    def next_workday(self, date: dt.date) -> dt.date:
        """The first working day on or after `date`."""
        for _ in range(_MAX_SPAN_DAYS):
            if self.is_workday(date):
                return date
            date += dt.timedelta(days=1)
        raise ValueError("no working day found within ten years")


def _local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=SHANGHAI)
        return moment.astimezone(SHANGHAI).date()
    return moment


def end_of_day(date: dt.date) -> dt.datetime:
    """The last instant of a local date in Asia/Shanghai."""
    return dt.datetime.combine(date, dt.time.max, tzinfo=SHANGHAI)


def _remember_missing(years: set[int]) -> None:
    for year in sorted(years):
        logger.warning("Working-day calendar: no official calendar for %s, using Monday to Friday", year)
        try:
            with transaction.atomic():
                MissingCalendarYear.objects.get_or_create(year=year)
        except IntegrityError:
            pass  # recorded by a concurrent request


def is_workday(date: dt.date) -> bool:
    calendar = WorkdayCalendar()
    result = calendar.is_workday(date)
    _remember_missing(calendar.missing_years)
    return result


def add_working_days(received: dt.datetime | dt.date, days: int) -> dt.datetime:
    """Deadline of a period of `days` working days starting at `received`.

    The deadline is the end (23:59:59.999999 Asia/Shanghai) of the Nth working day after the day
    of receipt; the day of receipt itself does not count. Received on a non-working day, the
    count starts from the next working day, which is day 1. E.g. received Thu 2026-04-30, 5
    working days: 5-6, 5-7, 5-8, 5-9 (make-up Saturday), 5-11 → end of Mon 2026-05-11.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    calendar = WorkdayCalendar()
    date = _local_date(received)
    if days == 0:
        result = date
    else:
        counted = 0
        for _ in range(_MAX_SPAN_DAYS):
            date += dt.timedelta(days=1)
            if calendar.is_workday(date):
                counted += 1
                if counted == days:
                    break
        else:
            raise ValueError("deadline beyond ten years")
        result = date
    _remember_missing(calendar.missing_years)
    return end_of_day(result)


def working_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date, *,
                         calendar: WorkdayCalendar | None = None) -> int:
    """Working days after the day of `start` up to and including the day of `end`.

    The inverse of add_working_days: working_days_between(t, add_working_days(t, n)) == n.
    Negative when `end` is before `start` (e.g. how many working days a deadline is overdue).
    """
    first, last = _local_date(start), _local_date(end)
    if first == last:
        return 0
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    if (last - first).days > _MAX_SPAN_DAYS:
        raise ValueError("span beyond ten years")
    calendar = calendar or WorkdayCalendar()
    count = 0
    date = first
    while date < last:
        date += dt.timedelta(days=1)
        if calendar.is_workday(date):
            count += 1
    _remember_missing(calendar.missing_years)
    return sign * count


def working_days_left(deadline: dt.datetime, now: dt.datetime | None = None, *,
                      calendar: WorkdayCalendar | None = None) -> int:
    """Working days from today to the deadline: 0 on its last day, negative once overdue.

    Pass one WorkdayCalendar when computing many (an inbox) so the table is read once."""
    now = now or timezone.now()
    if now > deadline:
        return -max(1, working_days_between(deadline, now, calendar=calendar))
    return working_days_between(now, deadline, calendar=calendar)


def missing_calendar_years(today: dt.date | None = None) -> list[int]:
    """Years the bureau admin must enter: this year and next when unknown, and any year a deadline
    needed that is not known yet, from this year on."""
    today = today or timezone.localdate()
    complete = set(CalendarYear.objects.values_list("year", flat=True))
    wanted = {today.year, today.year + 1}
    wanted |= set(MissingCalendarYear.objects.filter(year__gte=today.year).values_list("year", flat=True))
    return sorted(y for y in wanted if y not in complete and not library_knows(y))


@lru_cache(maxsize=1)
def holiday_names_zh() -> dict[str, str]:
    return {
        "New Year's Day": "元旦",
        "Spring Festival": "春节",
        "Tomb-sweeping Day": "清明节",
        "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节",
        "National Day": "国庆节",
        "Mid-autumn Festival": "中秋节",
        "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
    }


def seed_from_library(years=None) -> int:
    """Copy chinese-calendar's holidays and make-up days into the table, and mark those years complete.

    Idempotent: existing rows (perhaps edited by the admin) are left as they are.
    """
    names = holiday_names_zh()
    years = set(years or _LIBRARY_YEARS)
    rows = []
    for date, name in chinese_calendar.holidays.items():
        if date.year in years:
            rows.append(CalendarDay(date=date, kind=CalendarDay.Kind.HOLIDAY, name=names.get(name, name)))
    for date, name in chinese_calendar.workdays.items():
        if date.year in years:
            rows.append(CalendarDay(date=date, kind=CalendarDay.Kind.WORKDAY, name=names.get(name, name)))
    created = CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinese-calendar") for y in sorted(years)], ignore_conflicts=True
    )
    return len(created)
