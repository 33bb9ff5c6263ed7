"""The to-do inbox (docs/features.md P2): everything waiting for a user, from every app, most urgent first.

Each app lists its sources in its plugin (portal.plugins, `inbox_sources`): a source counts and lists
what waits for a user (entries to review, applications to decide, objections, catalog updates,
publications, escalations).
Sorting: overdue first (most overdue first), then by deadline, then items without a deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from portal import plugins, workdays
from portal.cached_counts import CachedCounts

# The badge on every page may lag a change made outside the ORM's saves by this long.
COUNTS = CachedCounts("inbox:count", seconds=30)


@dataclass
class InboxItem:
    kind: str
    title: str
    url: str
    deadline: dt.datetime | None = None
    received_at: dt.datetime | None = None
    detail: str = ""
    days_left: int | None = field(default=None)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass(frozen=True)
class InboxSource:
    kind: str
    label: str
    items: Callable[[object], Iterable[InboxItem]]
    count: Callable[[object], int]


@plugins.derived
def sources() -> list[InboxSource]:
    """Every app's sources, one per kind."""
    return list({source.kind: source for source in plugins.contributions("inbox_sources")}.values())


@plugins.derived
def _apps() -> set[str]:
    """Apps whose rows the sources count (the app of the module that defines a source's count)."""
    return {source.count.__module__.split(".")[0] for source in sources()}


@plugins.derived
def _not_counted() -> set[str]:
    """Models of those apps that no source counts, written on hot paths (each grant use, each
    download): their saves leave the badges alone."""
    return {label.lower() for label in plugins.contributions("inbox_not_counted")}


def _far_future():
    return dt.datetime.max.replace(tzinfo=dt.UTC)


def inbox_for(user, *, kinds: Iterable[str] | None = None, now: dt.datetime | None = None) -> list[InboxItem]:
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    wanted = set(kinds) if kinds else None
    calendar = workdays.WorkdayCalendar()
    items: list[InboxItem] = []
    for source in sources():
        if wanted and source.kind not in wanted:
            continue
        for item in source.items(user):
            if item.deadline is not None:
                item.days_left = workdays.working_days_left(item.deadline, now, calendar=calendar)
            items.append(item)
    items.sort(key=lambda i: (not i.overdue, i.deadline or _far_future(), i.received_at or _far_future()))
    return items


def inbox_count(user) -> int:
    """The badge on every page, kept per user until a row of an app with inbox sources changes."""
    if not user.is_authenticated:
        return 0
    return COUNTS.get(str(user.pk), lambda: sum(source.count(user) for source in sources()))


def _row_changed(sender, **_kwargs) -> None:
    meta = sender._meta
    if meta.app_label in _apps() and meta.label_lower not in _not_counted():
        COUNTS.forget()


post_save.connect(_row_changed, dispatch_uid="inbox-counts-save")
post_delete.connect(_row_changed, dispatch_uid="inbox-counts-delete")


def labels() -> dict[str, str]:
    return {s.kind: s.label for s in sources()}
