"""Review, objection and coordination deadlines follow a change of the working-day calendar (docs/features.md S4;
Lhasa art. 19, 23: answers within 5 working days, counted on the official calendar)."""

from __future__ import annotations

from audit.services import record
from portal.deadline_shifts import Shift, iso, local_date
from sharing.models import Deadline
from sharing.services.deadlines import DEADLINE_RELATED, remind_time


def _open(shift: Shift):
    """Not answered, not yet warned or escalated, due in the future, its window holding a changed date."""
    return Deadline.objects.filter(
        closed_at__isnull=True,
        warned_at__isnull=True,
        escalated_at__isnull=True,
        due_at__gt=shift.now,
        due_at__gte=shift.due_from,
        received_at__lt=shift.received_before,
    )


def shift_sharing_deadlines(shift: Shift) -> int:
    # Lock first, then read with what the audit entries describe (FOR UPDATE may not reach the
    # nullable side of the subjects' outer joins).
    ids = list(_open(shift).select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    reminders: dict = {}
    moved = []
    for deadline in Deadline.objects.select_related(*DEADLINE_RELATED).filter(pk__in=ids).order_by("pk"):
        days = shift.working_days(deadline.received_at, deadline.due_at)
        due_at = shift.due(deadline.received_at, days)
        if due_at == deadline.due_at:
            continue
        # Beyond one day, the reminder depends only on the day of receipt: computed once per day.
        if days <= 1:
            remind_at = remind_time(deadline.received_at, days)
        else:
            key = (local_date(deadline.received_at), days)
            if key not in reminders:
                reminders[key] = remind_time(deadline.received_at, days)
            remind_at = reminders[key]
        record(
            "sharing.deadline.shift",
            actor=shift.actor,
            target=deadline.subject,
            detail={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "working_days": days,
                "due_at_before": iso(deadline.due_at),
                "due_at": iso(due_at),
                "remind_at": iso(remind_at),
                "dates": shift.dates_within(deadline.received_at, deadline.due_at),
                "department": deadline.department_id,
            },
        )
        deadline.due_at, deadline.remind_at = due_at, remind_at
        moved.append(deadline)
    Deadline.objects.bulk_update(moved, ["due_at", "remind_at"])
    return len(moved)
