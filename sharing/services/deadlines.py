"""Deadlines of the sharing app (docs/features.md S4) and the sweep that acts on them.

Lhasa art. 19 and Hechi (second document) art. 28: requests are answered within 5 working days;
art. 23: objections re-checked within 5 working days; art. 43: overdue warnings. A deadline is a
row with a due time; a periodic Celery beat job (docs/conventions.md, pitfalls: never a countdown spanning days)
claims due rows with SELECT ... FOR UPDATE SKIP LOCKED and stamps each step in the transaction
that performs it, so a step happens exactly once: two sweeps at once take different rows, a
sweep killed half-way rolls back its batch and the next one redoes it, a sweep that runs late
after an outage finds every step still unstamped and performs them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import record
from portal import workdays
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services import notifications
from portal.services.notifications import notify
from sharing.conf import setting
from sharing.models import Application, Coordination, Deadline
from sharing.services import people
from sharing.transitions import allowed, move


def remind_time(received_at: dt.datetime, days: int) -> dt.datetime:
    """The start of the working day before the deadline's last day (the day of receipt for 1 day)."""
    if days <= 1:
        return received_at
    day_before = workdays.add_working_days(received_at, days - 1).date()
    return dt.datetime.combine(day_before, dt.time.min, tzinfo=workdays.SHANGHAI)


def deadline_open(
    *, subject, department, days: int, received_at: dt.datetime, by_bureau: bool = False, escalates: bool = True
) -> Deadline:
    """Store the deadline of an answer owed by `department` (or the bureau) for `subject`."""
    kind = {Application: Deadline.Kind.REVIEW, Coordination: Deadline.Kind.COORDINATION}.get(
        type(subject), Deadline.Kind.OBJECTION
    )
    return Deadline.objects.create(
        kind=kind,
        **{kind_field(kind): subject},
        department=department,
        by_bureau=by_bureau,
        escalates=escalates and not by_bureau,
        received_at=received_at,
        remind_at=remind_time(received_at, days),
        due_at=workdays.add_working_days(received_at, days),
    )


_KIND_FIELDS: dict[str, str] = {
    Deadline.Kind.REVIEW: "application",
    Deadline.Kind.OBJECTION: "objection",
    Deadline.Kind.COORDINATION: "coordination",
}


def kind_field(kind: str) -> str:
    return _KIND_FIELDS[kind]


def deadline_close(*, subject, now: dt.datetime) -> Deadline | None:
    """The answer is given: close the deadline; an answer after the due time stays counted as overdue."""
    kind = {Application: Deadline.Kind.REVIEW, Coordination: Deadline.Kind.COORDINATION}.get(
        type(subject), Deadline.Kind.OBJECTION
    )
    deadline = Deadline.objects.select_for_update().filter(**{kind_field(kind): subject}).first()
    if deadline is None or deadline.closed_at is not None:
        return deadline
    deadline.closed_at = now
    deadline.overdue = deadline.overdue or now > deadline.due_at
    deadline.save(update_fields=["closed_at", "overdue"])
    return deadline


def _responsible(deadline: Deadline) -> list:
    return deadline.bureau_reviewers if deadline.by_bureau else deadline.officers


def _describe(deadline: Deadline) -> tuple[str, str]:
    subject = deadline.subject
    if deadline.kind == Deadline.Kind.REVIEW:
        return (
            _("共享申请：%(d)s 申请「%(n)s」")
            % {"d": subject.applicant_department.name, "n": subject.entry_version.name},
            people.url("application", subject.pk),
        )
    if deadline.kind == Deadline.Kind.OBJECTION:
        return (
            _("数据异议：%(d)s 对「%(c)s」") % {"d": subject.user_department.name, "c": subject.entry.code},
            people.url("objection", subject.pk),
        )
    return (
        _("协调申请：%(d)s 对「%(c)s」") % {"d": subject.applicant_department.name, "c": subject.entry.code},
        people.url("coordination", subject.pk),
    )


def _due_text(deadline: Deadline) -> str:
    return timezone.localtime(deadline.due_at).strftime("%Y-%m-%d")


def _remind(deadline: Deadline, now: dt.datetime) -> None:
    what, url = deadline.what, deadline.url
    notify(
        users=_responsible(deadline),
        kind="sharing.deadline_reminder",
        key=f"sharing.deadline.remind:{deadline.pk}",
        title=_("即将到期（%(d)s）：%(w)s") % {"d": _due_text(deadline), "w": what},
        url=url,
    )
    record(
        "sharing.deadline.remind",
        target=deadline.subject,
        detail={
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "due_at": deadline.due_at.isoformat(),
            "remind_at": deadline.remind_at.isoformat(),
        },
    )


def _reminder_due(deadline: Deadline, now: dt.datetime) -> bool:
    """SECURITY.md 22.4: a "due soon" reminder only while the deadline is still ahead. A sweep that first
    sees a deadline already past (after an outage, or a deadline shifted by a calendar change) sends
    the overdue warning alone, not a late reminder with it; the reminder stays unsent (reminded_at
    empty) and is never sent afterwards."""
    return deadline.reminded_at is None and deadline.remind_at <= now <= deadline.due_at


def _warn(deadline: Deadline) -> None:
    what, url = deadline.what, deadline.url
    notify(
        users=_responsible(deadline),
        kind="sharing.deadline_overdue",
        key=f"sharing.deadline.overdue:{deadline.pk}",
        title=_("已超期（期限 %(d)s）：%(w)s") % {"d": _due_text(deadline), "w": what},
        url=url,
    )
    record(
        "sharing.deadline.overdue",
        target=deadline.subject,
        detail={
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "due_at": deadline.due_at.isoformat(),
            "department": deadline.department_id,
        },
    )


def _escalate(deadline: Deadline, now: dt.datetime, batch: _Batch) -> bool:
    """Hand the overdue matter to the bureau. False when its row is busy (being answered right now):
    the next sweep tries again, and finds it answered or still waiting."""
    subject = deadline.subject
    if deadline.kind in (Deadline.Kind.REVIEW, Deadline.Kind.COORDINATION):
        subject = deadline.locked_subject
        if subject is None:
            return False
        if allowed(subject, "escalate"):
            move(subject, "escalate")
            subject.escalated_at = now
            batch.subjects.append(subject)
    what, url = deadline.what, deadline.url
    title = _("逾期未办，已上报大数据局：%(w)s") % {"w": what}
    notify(
        users=deadline.bureau_reviewers,
        kind="sharing.escalated",
        key=f"sharing.deadline.escalate:{deadline.pk}",
        title=title,
        body=_("期限 %(d)s 已过，可由大数据局审核员代为处理或督办。") % {"d": _due_text(deadline)},
        url=url,
    )
    asker = getattr(subject, "applicant", None) or getattr(subject, "raised_by", None)
    notify(
        users=[asker],
        kind="sharing.escalated",
        key=f"sharing.deadline.escalate.asker:{deadline.pk}",
        title=title,
        url=url,
    )
    record(
        f"sharing.{'application' if deadline.kind == Deadline.Kind.REVIEW else deadline.kind}.escalate",
        target=subject,
        detail={"deadline": deadline.pk, "due_at": deadline.due_at.isoformat(), "department": deadline.department_id},
    )
    return True


def _step(deadline: Deadline, now: dt.datetime, counts: dict, batch: _Batch) -> bool:
    """Perform the due steps of one deadline; False if one had to wait (its row was busy)."""
    done = True
    if _reminder_due(deadline, now):
        _remind(deadline, now)
        deadline.reminded_at = now
        batch.stamp(deadline, "reminded_at")
        counts["reminded"] += 1
    if deadline.due_at < now and deadline.warned_at is None:
        _warn(deadline)
        deadline.warned_at, deadline.overdue = now, True
        batch.stamp(deadline, "warned_at", "overdue")
        counts["warned"] += 1
    if _escalation_due(deadline, now):
        if _escalate(deadline, now, batch):
            deadline.escalated_at = now
            batch.stamp(deadline, "escalated_at")
            counts["escalated"] += 1
        else:
            done = False
    return done


def due_filter(now: dt.datetime) -> Q:
    return (
        Q(reminded_at__isnull=True, remind_at__lte=now, due_at__gte=now)
        | Q(due_at__lt=now, warned_at__isnull=True)
        | Q(due_at__lt=now, escalates=True, escalated_at__isnull=True)
    )


# Oldest first, sorted after the due rows are found: ordered by plain due_at, PostgreSQL walks the
# due_at index in order and, the filter being an OR that no index bound narrows, reads every open
# deadline to complete the last group of equal due times (deadlines received the same day share
# theirs): 36 ms per batch among 100k open, against 4 ms for the three index ranges of due_filter().
_CLAIM_ORDER = F("due_at") + dt.timedelta(0)


def _escalation_due(deadline: Deadline, now: dt.datetime) -> bool:
    return deadline.due_at < now and deadline.escalates and deadline.escalated_at is None


# What the sweep reads with each deadline: everything its notices and its audit entries'
# descriptions (str() of the subject) use.
DEADLINE_RELATED = (
    "application__entry",
    "application__entry_version",
    "application__applicant_department",
    "application__applicant",
    "objection__entry",
    "objection__user_department",
    "objection__raised_by",
    "coordination__entry",
    "coordination__applicant_department",
    "coordination__applicant",
)


class _People:
    """The officers and bureau reviewers told about deadlines, looked up once per sweep rather than
    once per notice (a sweep after an outage notifies for thousands of deadlines)."""

    def __init__(self):
        self._officers: dict[int, list] = {}
        self._bureau: list | None = None

    def bureau_reviewers(self) -> list:
        if self._bureau is None:
            self._bureau = people.bureau_reviewers()
        return self._bureau

    def officers(self, department_ids: set[int]) -> dict[int, list]:
        missing = department_ids - self._officers.keys()
        if missing:
            found: dict[int, list] = {pk: [] for pk in missing}
            for user in users_with_role(Role.DATA_OFFICER).filter(department_id__in=missing):
                assert user.department_id is not None  # filtered on it
                found[user.department_id].append(user)
            self._officers.update(found)
        return self._officers


@dataclass
class _Batch:
    """The stamps of one sweep transaction, written at its end: every step stamps `now`, so one
    UPDATE per set of steps taken (usually one: all three) and per subject model covers the batch."""

    now: dt.datetime
    stamped: dict = field(default_factory=dict)  # deadline id -> the fields its steps stamped
    subjects: list = field(default_factory=list)

    def stamp(self, deadline: Deadline, *fields: str) -> None:
        self.stamped[deadline.pk] = self.stamped.get(deadline.pk, ()) + fields

    def save(self) -> None:
        groups: dict[tuple, list] = {}
        for pk, fields in self.stamped.items():
            groups.setdefault(fields, []).append(pk)
        for fields, ids in groups.items():
            Deadline.objects.filter(pk__in=ids).update(**{f: True if f == "overdue" else self.now for f in fields})
        moved: dict[tuple, list] = {}
        for subject in self.subjects:
            moved.setdefault((type(subject), subject.status), []).append(subject.pk)
        for (model, status), ids in moved.items():
            model.objects.filter(pk__in=ids).update(status=status, escalated_at=self.now)


def _prepare(batch: list[Deadline], now: dt.datetime, who: _People) -> None:
    """Give each deadline of a batch its description, its recipients and, when it is to be
    escalated, its subject locked: one SELECT ... FOR UPDATE SKIP LOCKED per kind for the whole
    batch, which re-reads the status the escalation depends on (a row being answered right now is
    skipped: locked_subject None, the deadline waits for the next sweep)."""
    officers = who.officers({d.department_id for d in batch if d.department_id is not None})
    bureau = who.bureau_reviewers() if any(d.by_bureau or _escalation_due(d, now) for d in batch) else []
    locked = {}
    for model, field_name in ((Application, "application_id"), (Coordination, "coordination_id")):
        ids = [getattr(d, field_name) for d in batch if getattr(d, field_name) and _escalation_due(d, now)]
        if ids:
            rows = (
                model.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids)
                .order_by("pk")
                .values_list("pk", "status", "escalated_at")
            )
            locked[model] = {pk: (status, escalated_at) for pk, status, escalated_at in rows}
    for deadline in batch:
        deadline.what, deadline.url = _describe(deadline)
        deadline.officers = officers.get(deadline.department_id, []) if deadline.department_id is not None else []
        deadline.bureau_reviewers = bureau
        subject, deadline.locked_subject = deadline.application or deadline.coordination, None
        fresh = locked.get(type(subject), {}).get(subject.pk) if subject is not None else None
        if subject is not None and fresh is not None:
            subject.status, subject.escalated_at = fresh
            deadline.locked_subject = subject


def sweep_deadlines(*, now: dt.datetime | None = None) -> dict:
    """Send every reminder, overdue warning and escalation that is due and not yet sent.

    Per batch of deadlines: one SELECT claiming them, one reading them with what their notices and
    audit entries describe, one locking the subjects to escalate, one INSERT of all the notifications
    (and one e-mail task after the commit), one INSERT of all the audit entries, one UPDATE of the
    deadlines' stamps and one of the escalated subjects."""
    now = now or timezone.now()
    counts = {"reminded": 0, "warned": 0, "escalated": 0}
    size = setting("SWEEP_BATCH")
    busy: set[int] = set()  # rows left due because their subject was being answered: not retried in this run
    who = _People()
    while True:
        with transaction.atomic():
            # Claim the rows first, then read what they describe: joined in the claiming SELECT, the
            # relations would be read for every due row before the LIMIT, at each batch.
            claimed = list(
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(due_filter(now), closed_at__isnull=True)
                .exclude(pk__in=busy)
                .order_by(_CLAIM_ORDER, "pk")
                .values_list("pk", flat=True)[:size]
            )
            deadlines = list(
                Deadline.objects.select_related(*DEADLINE_RELATED).filter(pk__in=claimed).order_by("due_at", "pk")
            )
            _prepare(deadlines, now, who)
            batch = _Batch(now)
            with notifications.batched(), audit.batched():
                for deadline in deadlines:
                    if not _step(deadline, now, counts, batch):
                        busy.add(deadline.pk)
            batch.save()
        if len(claimed) < size:
            return counts
