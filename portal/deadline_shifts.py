"""Open deadlines follow the working-day calendar when the bureau admin changes it (docs/features.md S4).

A deadline's due time is N working days after its receipt, counted once when it is created. When
the admin later declares a holiday or a make-up working day (调休) inside an open deadline's window
(typically: next year's official calendar entered after requests were received), the deadline is
counted again: the same N working days from the same receipt, on the new calendar. N is recovered
by counting the old due time on the calendar as it was before the change.

The portal does not import the apps: each app that keeps deadlines writes its shifter in
`<app>/deadline_shifts.py` and lists it in its plugin (portal.plugins, `deadline_shifters`). A
shifter receives a Shift and returns how many of its deadlines it moved; it moves only deadlines
still open, not yet warned or escalated and due in the future, found in SQL by the window (received
before the last changed date, due on or after the first), records one audit entry per deadline it
moves, and runs in the transaction of the calendar change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from portal import plugins, trail, workdays


def shifters() -> tuple[Callable[[Shift], int], ...]:
    """Every app's shifter(shift) -> number of deadlines moved, in INSTALLED_APPS order."""
    return plugins.contributions("deadline_shifters")


class _CalendarBefore(workdays.WorkdayCalendar):
    """The calendar as it was before the change: the changed dates answer their former value,
    every other date is read from the table (unchanged by the edit)."""

    def __init__(self, before: dict[dt.date, bool]):
        super().__init__()
        self._before = dict(before)

    def is_workday(self, date: dt.date) -> bool:
        if date in self._before:
            return self._before[date]
        return super().is_workday(date)


def start_of_day(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time.min, tzinfo=workdays.SHANGHAI)


def iso(moment: dt.datetime) -> str:
    """A time for the audit entries, in local time whether it came from the database or was computed."""
    return timezone.localtime(moment).isoformat()


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment, workdays.SHANGHAI).date()
    return moment


@dataclass
class Shift:
    """One change of the calendar, as the shifters need it."""

    actor: object
    changed: frozenset[dt.date]
    before: workdays.WorkdayCalendar
    now: dt.datetime
    _counts: dict = field(default_factory=dict)
    _dues: dict = field(default_factory=dict)

    @property
    def received_before(self) -> dt.datetime:
        """A deadline received at or after the start of the last changed date cannot contain it."""
        return start_of_day(max(self.changed))

    @property
    def due_from(self) -> dt.datetime:
        """A deadline due before the first changed date does not contain it."""
        return start_of_day(min(self.changed))

    def working_days(self, received: dt.datetime | dt.date, due: dt.datetime) -> int:
        """The deadline's N, counted on the calendar before the change."""
        key = (local_date(received), local_date(due))
        if key not in self._counts:
            self._counts[key] = workdays.working_days_between(key[0], key[1], calendar=self.before)
        return self._counts[key]

    def due(self, received: dt.datetime | dt.date, days: int) -> dt.datetime:
        """N working days from the receipt on the new calendar (the same for a whole day's receipts)."""
        key = (local_date(received), days)
        if key not in self._dues:
            self._dues[key] = workdays.add_working_days(key[0], days)
        return self._dues[key]

    def dates_within(self, received: dt.datetime | dt.date, due: dt.datetime) -> list[str]:
        first, last = local_date(received), local_date(due)
        return [d.isoformat() for d in sorted(self.changed) if first < d <= last]


@transaction.atomic
def shift_open_deadlines(*, actor, before: dict[dt.date, bool], now: dt.datetime | None = None) -> int:
    """Recount the open deadlines whose window holds a date whose working-day status changed.

    `before` maps each date the caller changed to whether it was a working day before the change
    (read before it, the table now holds the new state). Dates whose status did not change (a
    holiday renamed, a Sunday declared a holiday) move nothing. Returns how many deadlines moved."""
    after = workdays.WorkdayCalendar()
    changed = frozenset(d for d, was in before.items() if after.is_workday(d) != was)
    if not changed:
        return 0
    shift = Shift(actor=actor, changed=changed, before=_CalendarBefore(before), now=now or timezone.now())
    with trail.batched():
        return sum(shifter(shift) for shifter in shifters())
