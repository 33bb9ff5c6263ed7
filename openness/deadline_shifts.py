"""Answer and re-review deadlines of open-data applications follow a change of the working-day
calendar (docs/features.md S4, O3; Lhasa art. 30, Hechi art. 28: answers within N working days)."""

from __future__ import annotations

from audit.services import record
from openness.models import Application
from portal.deadline_shifts import Shift, iso

# (status, receipt field, due field, warned field, audit action)
_DEADLINES = (
    (Application.Status.PENDING, "submitted_at", "due_at", "overdue_warned_at", "openness.application.shift"),
    (
        Application.Status.REREVIEW,
        "rereview_requested_at",
        "rereview_due_at",
        "rereview_warned_at",
        "openness.application.rereview_shift",
    ),
)


def shift_application_deadlines(shift: Shift) -> int:
    """Applications waiting for the provider's answer, and re-reviews waiting for the bureau, not yet
    warned and due in the future, whose window holds a changed date."""
    moved = 0
    for status, received_field, due_field, warned_field, action in _DEADLINES:
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("dataset__published_version", "applicant")
            .filter(
                **{
                    "status": status,
                    f"{warned_field}__isnull": True,
                    f"{due_field}__gt": shift.now,
                    f"{due_field}__gte": shift.due_from,
                    f"{received_field}__lt": shift.received_before,
                }
            )
            .order_by("pk")
        )
        changed = []
        for application in applications:
            received, due = getattr(application, received_field), getattr(application, due_field)
            days = shift.working_days(received, due)
            new_due = shift.due(received, days)
            if new_due == due:
                continue
            record(
                action,
                actor=shift.actor,
                target=application,
                detail={
                    "dataset": application.dataset_id,
                    "working_days": days,
                    "due_at_before": iso(due),
                    "due_at": iso(new_due),
                    "dates": shift.dates_within(received, due),
                },
            )
            setattr(application, due_field, new_due)
            changed.append(application)
        Application.objects.bulk_update(changed, [due_field])
        moved += len(changed)
    return moved
