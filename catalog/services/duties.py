"""Update duties (docs/features.md C4; Lhasa art. 6-7): entries are updated within N working days of a change
in the law or in the department's duties, and fully maintained at least once a year."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import DutyChange, ResourceEntry, UpdateDuty
from portal import policy, workdays
from portal.errors import DomainError, InvalidTransitionError
from portal.permissions import require
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify

SWEEP_BATCH = 500


def update_deadline_days() -> int:
    # Lhasa art. 7, Sixian art. 19, Hechi art. 13: the bureau's length (portal.policy), read when the change is recorded.
    return policy.working_days("CATALOG_UPDATE_WORKING_DAYS")


@transaction.atomic
def duty_change_record(*, actor, department, kind: str, description: str, effective_date: dt.date) -> DutyChange:
    """The bureau records a change; each published entry of the department gets an update deadline."""
    require(actor, "catalog.add_dutychange")
    if kind not in DutyChange.Kind.values:
        raise DomainError(_("变化类型无效。"), code="invalid_kind")
    if not (description or "").strip():
        raise DomainError(_("请填写变化说明。"), code="description_required")
    if effective_date > timezone.localdate():
        raise DomainError(_("变化发生日期不能晚于今天。"), code="future_date")
    due_at = workdays.add_working_days(effective_date, update_deadline_days())
    change = DutyChange.objects.create(
        department=department,
        kind=kind,
        description=description.strip(),
        effective_date=effective_date,
        due_at=due_at,
        recorded_by=actor,
    )
    entries = ResourceEntry.objects.filter(
        department=department, published_version__isnull=False, withdrawn_at__isnull=True
    )
    UpdateDuty.objects.bulk_create([UpdateDuty(change=change, entry=e, due_at=due_at) for e in entries])
    record(
        "catalog.duty.record",
        actor=actor,
        target=change,
        detail={"department": department.pk, "entries": entries.count(), "due_at": due_at.isoformat()},
    )
    notify(
        users=users_with_role(Role.DATA_OFFICER, department=department),
        kind="catalog.duty",
        key=f"catalog.duty:{change.pk}",
        title=_("请在 %(d)s 前更新本部门资源目录") % {"d": timezone.localtime(due_at).strftime("%Y-%m-%d")},
        body=change.description,
        url=reverse("catalog:duties"),
    )
    return change


@transaction.atomic
def duty_confirm_unchanged(*, actor, duty: UpdateDuty, note: str) -> UpdateDuty:
    """The department confirms an entry needs no change after the change in law or duties."""
    duty = UpdateDuty.objects.select_for_update().select_related("entry__department").get(pk=duty.pk)
    require(actor, "portal.maintain_catalog", duty.entry.department)
    if duty.status != UpdateDuty.Status.OPEN:
        raise InvalidTransitionError(_("该更新任务已完成。"))
    if not (note or "").strip():
        raise DomainError(_("请说明无需变更的理由。"), code="note_required")
    now = timezone.now()
    duty.status, duty.done_at, duty.done_note = UpdateDuty.Status.DONE, now, note.strip()
    duty.save(update_fields=["status", "done_at", "done_note"])
    ResourceEntry.objects.filter(pk=duty.entry_id).update(last_maintained_at=now, maintenance_flagged_at=None)
    record("catalog.duty.confirm", actor=actor, target=duty.entry, detail={"duty": duty.pk, "note": note.strip()})
    return duty


def sweep_update_duties(*, now: dt.datetime | None = None) -> dict:
    """Remind one working day before the deadline, warn once it has passed. Idempotent, and safe to
    run twice at once: rows are claimed with SKIP LOCKED and stamped in the same transaction."""
    now = now or timezone.now()
    reminded = warned = 0
    # a look-ahead, not a deadline: records no missing year (SECURITY.md 22.2)
    horizon = workdays.estimate_deadline(now, 1).deadline
    while True:
        with transaction.atomic():
            batch = list(
                UpdateDuty.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("entry__department", "entry__published_version")
                .filter(
                    status=UpdateDuty.Status.OPEN,
                    done_at__isnull=True,
                    reminded_at__isnull=True,
                    due_at__lte=horizon,
                    due_at__gte=now,
                )[:SWEEP_BATCH]
            )
            for duty in batch:
                duty.reminded_at = now
                duty.save(update_fields=["reminded_at"])
                _tell_department(duty, "catalog.duty_reminder", _("目录更新即将到期：%(c)s"))
                record("catalog.duty.remind", target=duty.entry, detail={"duty": duty.pk})
            reminded += len(batch)
        if len(batch) < SWEEP_BATCH:
            break
    while True:
        with transaction.atomic():
            batch = list(
                UpdateDuty.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("entry__department", "entry__published_version")
                .filter(
                    status=UpdateDuty.Status.OPEN, done_at__isnull=True, overdue_warned_at__isnull=True, due_at__lt=now
                )[:SWEEP_BATCH]
            )
            for duty in batch:
                duty.overdue_warned_at = now
                duty.save(update_fields=["overdue_warned_at"])
                _tell_department(duty, "catalog.duty_overdue", _("目录更新已超期：%(c)s"))
                notify(
                    users=users_with_role(Role.BUREAU_REVIEWER),
                    kind="catalog.duty_overdue",
                    key=f"catalog.duty_overdue:{duty.pk}",
                    title=_("目录更新已超期：%(c)s") % {"c": duty.entry.code},
                    url=reverse("catalog:duties"),
                )
                record("catalog.duty.overdue", target=duty.entry, detail={"duty": duty.pk})
            warned += len(batch)
        if len(batch) < SWEEP_BATCH:
            break
    return {"reminded": reminded, "warned": warned}


def _tell_department(duty, kind, title):
    notify(
        users=users_with_role(Role.DATA_OFFICER, department=duty.entry.department),
        kind=kind,
        key=f"{kind}:{duty.pk}",
        title=title % {"c": duty.entry.code},
        body=_("期限：%(d)s") % {"d": timezone.localtime(duty.due_at).strftime("%Y-%m-%d")},
        url=reverse("catalog:detail", args=[duty.entry_id]),
    )


def flag_unmaintained(*, now: dt.datetime | None = None) -> int:
    """Lhasa art. 6: a full maintenance at least once a year. Entries not maintained for a year are flagged once."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=365)
    flagged = 0
    with transaction.atomic():
        entries = list(
            ResourceEntry.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("department")
            .filter(
                published_version__isnull=False,
                withdrawn_at__isnull=True,
                maintenance_flagged_at__isnull=True,
                last_maintained_at__lt=cutoff,
            )
        )
        for entry in entries:
            entry.maintenance_flagged_at = now
            entry.save(update_fields=["maintenance_flagged_at"])
            notify(
                users=users_with_role(Role.DATA_OFFICER, department=entry.department),
                kind="catalog.maintenance_due",
                key=f"catalog.maintenance_due:{entry.pk}:{now.year}",
                title=_("资源已一年未维护：%(c)s") % {"c": entry.code},
                url=reverse("catalog:detail", args=[entry.pk]),
            )
            record("catalog.entry.flag_unmaintained", target=entry)
        flagged = len(entries)
    return flagged
