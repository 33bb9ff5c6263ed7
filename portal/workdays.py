"""Working days on the Chinese official calendar (holidays and make-up working days, 调休).

Every deadline of the portal (Lhasa art. 7, 19, 23; Sixian art. 19, 27; Hechi art. 13, 28) is
counted here. A date is decided, in this order, by:
1. a row of CalendarDay (the bureau admin's table, seeded from chinese-calendar);
2. a year recorded as complete in CalendarYear: any other date of it is Monday to Friday;
3. the chinese-calendar library, for the years it knows (2004-2026 in 1.11.0);
4. Monday to Friday; when a real deadline (an application, an objection, a catalog duty: the
   services call add_working_days) needed the year, it is recorded in MissingCalendarYear so the
   bureau admin is warned on their home page that its official calendar is missing.
Dates are local dates in Asia/Shanghai, within one range of years (settings CALENDAR_FIRST_YEAR ..
CALENDAR_LAST_YEAR, 2004..2100): any other date is refused with CalendarRangeError (HTTP 400).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.models import CalendarDay, CalendarYear, MissingCalendarYear

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# chinese-calendar raises NotImplementedError outside the years it knows; ask it which.
_LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
# Safety net for loops: no real deadline spans more than this many calendar days.
_MAX_SPAN_DAYS = 3660


def library_knows(year: int) -> bool:
    return year in _LIBRARY_YEARS


class CalendarRangeError(DomainError):
    """A date outside the years the calendar accepts (SECURITY.md 22.1: 9999-12-31 overflowed into a 500;
    SECURITY.md 22.2: any year a caller named ended up in the admin's warning)."""

    default_code = "date_out_of_range"


def year_range() -> tuple[int, int]:
    """The first and last year the calendar accepts (settings CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR).

    Kept well inside Python's 1..9999 so that a day before or after a bound never overflows."""
    first, last = settings.PORTAL["CALENDAR_FIRST_YEAR"], settings.PORTAL["CALENDAR_LAST_YEAR"]
    return max(first, 2), min(last, 9998)


def range_message() -> str:
    first, last = year_range()
    return _(
        "日期超出工作日历支持的范围：只接受 %(first)s 年至 %(last)s 年之间的日期（%(first)s-01-01 至 %(last)s-12-31）。"
    ) % {"first": first, "last": last}


def year_in_range(year: int) -> bool:
    first, last = year_range()
    return first <= year <= last


def check_year(year: int) -> int:
    if not year_in_range(year):
        raise CalendarRangeError(range_message(), code="date_out_of_range")
    return year


def check_date(date: dt.date) -> dt.date:
    check_year(date.year)
    return date


def local_date_in_range(moment: dt.datetime | dt.date) -> dt.date:
    """The local (Asia/Shanghai) date of `moment`, refused when outside the range (also when
    converting it to Shanghai time would leave Python's years, e.g. 9999-12-31T23:00-12:00)."""
    try:
        date = _local_date(moment)
    except OverflowError:
        raise CalendarRangeError(range_message(), code="date_out_of_range") from None
    return check_date(date)


def validate_calendar_date(value: dt.date | dt.datetime) -> None:
    """Form and serializer validator: the date (or the moment's Shanghai date) is within the range."""
    try:
        local_date_in_range(value)
    except CalendarRangeError as error:
        raise ValidationError(str(error.message), code="date_out_of_range") from None


def validate_calendar_year(value: int) -> None:
    if not year_in_range(value):
        raise ValidationError(range_message(), code="date_out_of_range")


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
        check_date(date)  # SECURITY.md 22.1: every computation stops at the range, never at Python's year 9999
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
        for _step in range(_MAX_SPAN_DAYS):  # not `_`: that is gettext in this module
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
    """A read: records nothing (SECURITY.md 22.2)."""
    return WorkdayCalendar().is_workday(date)


def _count(date: dt.date, days: int, calendar: WorkdayCalendar) -> dt.date:
    """The Nth working day after `date` (the date itself for 0)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    if days == 0:
        return date
    counted = 0
    for _n in range(_MAX_SPAN_DAYS):
        date += dt.timedelta(days=1)
        if calendar.is_workday(date):  # refuses a date past the range's last year
            counted += 1
            if counted == days:
                return date
    raise ValueError("deadline beyond ten years")


def add_working_days(received: dt.datetime | dt.date, days: int) -> dt.datetime:
    """Deadline of a period of `days` working days starting at `received`.

    The deadline is the end (23:59:59.999999 Asia/Shanghai) of the Nth working day after the day
    of receipt; the day of receipt itself does not count. Received on a non-working day, the
    count starts from the next working day, which is day 1. E.g. received Thu 2026-04-30, 5
    working days: 5-6, 5-7, 5-8, 5-9 (make-up Saturday), 5-11 → end of Mon 2026-05-11.

    For the services that create a real deadline (an application, an objection, a catalog duty):
    a year it needed without an official calendar is recorded for the bureau admin's warning.
    The calculator and other reads use estimate_deadline(), which records nothing (SECURITY.md 22.2:
    any signed-in user could add years to the warning through the calculator). Raises
    CalendarRangeError (HTTP 400) for a receipt or deadline outside the calendar's years.
    """
    calendar = WorkdayCalendar()
    result = _count(local_date_in_range(received), days, calendar)
    _remember_missing(calendar.missing_years)
    return end_of_day(result)


@dataclass(frozen=True)
class DeadlineEstimate:
    deadline: dt.datetime
    # Years the count crossed that have no official calendar (neither entered nor in the library):
    # their days were taken as Monday to Friday, so the deadline may still move (SECURITY.md 22.5).
    unofficial_years: tuple[int, ...]

    @property
    def caveat(self) -> str:
        if not self.unofficial_years:
            return ""
        return _(
            "%(years)s 年的法定节假日安排尚未录入，本结果暂按周一至周五计算工作日，仅供参考；录入后期限可能变化。"
        ) % {"years": "、".join(str(y) for y in self.unofficial_years)}


def estimate_deadline(received: dt.datetime | dt.date, days: int) -> DeadlineEstimate:
    """The deadline calculator (page and API): add_working_days without recording anything, and
    with the years it had to guess."""
    calendar = WorkdayCalendar()
    result = _count(local_date_in_range(received), days, calendar)
    return DeadlineEstimate(deadline=end_of_day(result), unofficial_years=tuple(sorted(calendar.missing_years)))


def working_days_between(
    start: dt.datetime | dt.date, end: dt.datetime | dt.date, *, calendar: WorkdayCalendar | None = None
) -> int:
    """Working days after the day of `start` up to and including the day of `end`.

    The inverse of add_working_days: working_days_between(t, add_working_days(t, n)) == n.
    Negative when `end` is before `start` (e.g. how many working days a deadline is overdue).
    A read (inbox, deadline shifts): records no missing year (SECURITY.md 22.2).
    """
    first, last = local_date_in_range(start), local_date_in_range(end)
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
    return sign * count


def working_days_left(
    deadline: dt.datetime, now: dt.datetime | None = None, *, calendar: WorkdayCalendar | None = None
) -> int:
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
    wanted = always_wanted_years(today)
    _first, last = year_range()
    # Rows outside the range (5925, written by a fuzzer before the fix of SECURITY.md 22.2) are not shown.
    wanted |= set(
        MissingCalendarYear.objects.filter(year__gte=today.year, year__lte=last).values_list("year", flat=True)
    )
    return sorted(y for y in wanted if y not in complete and not library_knows(y))


def always_wanted_years(today: dt.date | None = None) -> set[int]:
    """This year and next: any deadline set now may need them, so their warning cannot be dismissed."""
    today = today or timezone.localdate()
    return {today.year, today.year + 1}


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
