"""Update duties follow a change of the working-day calendar (docs/features.md S4, C4; Lhasa art. 7: entries are
updated within N working days of a change in the law or in the department's duties)."""

from __future__ import annotations

from audit.services import record
from catalog.models import DutyChange, UpdateDuty
from portal.deadline_shifts import Shift, iso


def shift_update_duties(shift: Shift) -> int:
    """Open duties not yet warned and due in the future whose window (the change's effective date ..
    the due time) holds a changed date; the change's own due time moves with them."""
    duties = list(
        UpdateDuty.objects.select_for_update(of=("self",))
        .select_related("change", "entry__published_version", "entry__working_version")
        .filter(
            status=UpdateDuty.Status.OPEN,
            overdue_warned_at__isnull=True,
            due_at__gt=shift.now,
            due_at__gte=shift.due_from,
            change__effective_date__lt=max(shift.changed),
        )
        .order_by("pk")
    )
    moved, changes = [], {}
    for duty in duties:
        received = duty.change.effective_date
        days = shift.working_days(received, duty.due_at)
        due_at = shift.due(received, days)
        if due_at == duty.due_at:
            continue
        record(
            "catalog.duty.shift",
            actor=shift.actor,
            target=duty.entry,
            detail={
                "duty": duty.pk,
                "change": duty.change_id,
                "working_days": days,
                "due_at_before": iso(duty.due_at),
                "due_at": iso(due_at),
                "dates": shift.dates_within(received, duty.due_at),
            },
        )
        duty.due_at = due_at
        moved.append(duty)
        changes[duty.change_id] = due_at
    UpdateDuty.objects.bulk_update(moved, ["due_at"])
    for change_id, due_at in changes.items():
        DutyChange.objects.filter(pk=change_id).update(due_at=due_at)
    return len(moved)
