"""Changes to the working-day calendar by the bureau admin (docs/features.md S4: editable by the bureau admin).

A change that makes a date a working day or not moves the open deadlines whose window holds it, in
the same transaction (portal.deadline_shifts)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays
from portal.deadline_shifts import shift_open_deadlines
from portal.errors import DomainError, NotFoundError
from portal.models import CalendarDay, CalendarYear, MissingCalendarYear, User
from portal.permissions import require
from portal.trail import record


@transaction.atomic
def calendar_day_set(*, actor: User, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    """Record a holiday or make-up working day (replacing what the date had)."""
    require(actor, "portal.change_calendarday")
    workdays.check_date(date)  # SECURITY.md 22.2: one range for every date the calendar accepts
    if kind not in CalendarDay.Kind.values:
        raise DomainError(_("类型必须是法定节假日或调休上班日。"), code="invalid_kind")
    if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
        raise DomainError(_("调休上班日应为周六或周日。"), code="workday_on_weekday")
    was_workday = workdays.WorkdayCalendar().is_workday(date)
    day, created = CalendarDay.objects.select_for_update().get_or_create(
        date=date, defaults={"kind": kind, "name": name}
    )
    before = None if created else {"kind": day.kind, "name": day.name}
    if not created:
        day.kind, day.name = kind, name
        day.save(update_fields=["kind", "name"])
    shifted = shift_open_deadlines(actor=actor, before={date: was_workday})
    record(
        "portal.calendar.set",
        actor=actor,
        target=day,
        detail={"date": date.isoformat(), "kind": kind, "name": name, "before": before, "deadlines_shifted": shifted},
    )
    return day


@transaction.atomic
def calendar_day_remove(*, actor: User, date: dt.date) -> None:
    require(actor, "portal.delete_calendarday")
    workdays.check_date(date)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise NotFoundError(_("该日期没有节假日或调休记录。"))
    was_workday = day.kind == CalendarDay.Kind.WORKDAY
    day.delete()
    detail = {
        "date": date.isoformat(),
        "kind": day.kind,
        "name": day.name,
        "deadlines_shifted": shift_open_deadlines(actor=actor, before={date: was_workday}),
    }
    record("portal.calendar.remove", actor=actor, target=("portal.calendarday", date.isoformat()), detail=detail)


@transaction.atomic
def calendar_year_mark_complete(*, actor: User, year: int, source: str = "") -> CalendarYear:
    """The admin has entered the official schedule of `year`: the table alone now decides it."""
    require(actor, "portal.add_calendaryear")
    workdays.check_year(year)
    # Once complete, the dates of the year without a row are Monday to Friday: for a year the
    # chinese-calendar library knew, that may change some of them.
    before = workday_states(days_of_year(year))
    entry, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": source or _("管理员录入")})
    MissingCalendarYear.objects.filter(year=year).delete()
    shifted = shift_open_deadlines(actor=actor, before=before) if created else 0
    record(
        "portal.calendar.year_complete", actor=actor, target=entry, detail={"year": year, "deadlines_shifted": shifted}
    )
    return entry


@transaction.atomic
def missing_year_dismiss(*, actor: User, year: int) -> None:
    """SECURITY.md 22.2: the bureau admin clears a year from the "工作日历缺失" warning (one a probe or a
    deadline since withdrawn put there). Not final: the next real deadline that needs the year
    records it again. This year and next are always wanted (workdays.always_wanted_years)."""
    require(actor, "portal.delete_missingcalendaryear")
    workdays.check_year(year)
    if year in workdays.always_wanted_years(timezone.localdate()):
        raise DomainError(_("本年度和下一年度的法定节假日安排必须录入，不能忽略该提示。"), code="year_required")
    missing = MissingCalendarYear.objects.select_for_update().filter(year=year).first()
    if missing is None:
        raise NotFoundError(_("该年度不在工作日历缺失列表中。"))
    first_needed_at = missing.first_needed_at
    missing.delete()
    record(
        "portal.calendar.missing_dismiss",
        actor=actor,
        target=("portal.missingcalendaryear", str(year)),
        detail={"year": year, "first_needed_at": timezone.localtime(first_needed_at).isoformat()},
    )


def days_of_year(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def workday_states(dates: Iterable[dt.date]) -> dict[dt.date, bool]:
    """Whether each date is a working day now: read before a change, for shift_open_deadlines()."""
    calendar = workdays.WorkdayCalendar()
    return {date: calendar.is_workday(date) for date in dates}
