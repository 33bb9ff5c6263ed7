"""C4 (Lhasa art. 6-7): update within N working days of a change in law or duties; reminders
before, warnings after, yearly maintenance flag; the sweep is idempotent and safe twice at once."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from audit.models import AuditEntry
from catalog.models import ResourceEntry, UpdateDuty
from catalog.services import duties, entries
from portal.errors import DomainError, PermissionDeniedError
from portal.models import Notification
from tests.catalog.factories import published

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_recording_a_change_gives_each_published_entry_a_deadline_in_working_days(officer, reviewer, settings):
    entry = published(officer, reviewer)
    change = duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="《某条例》修订",
        effective_date=dt.date(2026, 4, 30),
    )
    duty = UpdateDuty.objects.get(change=change, entry=entry)
    assert settings.PORTAL["CATALOG_UPDATE_WORKING_DAYS"] == 7
    # 7 working days from Thu 2026-04-30 over the Labour Day holiday: 5-6,7,8,9(Sat),11,12,13.
    assert duty.due_at.astimezone(SH).date() == dt.date(2026, 5, 13)
    assert Notification.objects.filter(user=officer, kind="catalog.duty").exists()


def test_deadline_days_are_a_setting(officer, reviewer, settings):
    settings.PORTAL = {**settings.PORTAL, "CATALOG_UPDATE_WORKING_DAYS": 10}
    published(officer, reviewer)
    change = duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="duty",
        description="职能调整",
        effective_date=dt.date(2026, 4, 30),
    )
    assert change.due_at.astimezone(SH).date() == dt.date(2026, 5, 18)


def test_only_the_bureau_records_changes(officer):
    with pytest.raises(PermissionDeniedError):
        duties.duty_change_record(
            actor=officer,
            department=officer.department,
            kind="law",
            description="x",
            effective_date=dt.date(2026, 4, 30),
        )


def test_sweep_reminds_before_and_warns_after_once(officer, reviewer):
    entry = published(officer, reviewer)
    change = duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="修订",
        effective_date=dt.date(2026, 4, 30),
    )
    duty = UpdateDuty.objects.get(change=change)
    day_before = dt.datetime(2026, 5, 12, 10, tzinfo=SH)
    assert duties.sweep_update_duties(now=day_before) == {"reminded": 1, "warned": 0}
    assert duties.sweep_update_duties(now=day_before) == {"reminded": 0, "warned": 0}
    after = dt.datetime(2026, 5, 14, 9, tzinfo=SH)
    assert duties.sweep_update_duties(now=after) == {"reminded": 0, "warned": 1}
    assert duties.sweep_update_duties(now=after) == {"reminded": 0, "warned": 0}
    duty.refresh_from_db()
    assert duty.reminded_at and duty.overdue_warned_at
    assert Notification.objects.filter(user=officer, kind="catalog.duty_reminder").count() == 1
    assert Notification.objects.filter(user=officer, kind="catalog.duty_overdue").count() == 1
    assert Notification.objects.filter(user=reviewer, kind="catalog.duty_overdue").count() == 1
    assert AuditEntry.objects.filter(action="catalog.duty.overdue", object_id=str(entry.pk)).count() == 1


def test_publishing_a_revision_or_confirming_closes_the_duty(officer, reviewer):
    first, second = published(officer, reviewer), published(officer, reviewer, name="第二个资源")
    duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="修订",
        effective_date=dt.date(2026, 4, 30),
    )
    entries.entry_revise(actor=officer, entry=first)
    entries.entry_submit(actor=officer, entry=first)
    entries.entry_approve(actor=reviewer, entry=first)
    assert UpdateDuty.objects.get(entry=first).status == UpdateDuty.Status.DONE
    duty = UpdateDuty.objects.get(entry=second)
    with pytest.raises(DomainError):
        duties.duty_confirm_unchanged(actor=officer, duty=duty, note="")
    duties.duty_confirm_unchanged(actor=officer, duty=duty, note="不涉及本资源")
    assert UpdateDuty.objects.get(entry=second).status == UpdateDuty.Status.DONE


def test_entries_not_maintained_for_a_year_are_flagged_once(officer, reviewer):
    entry = published(officer, reviewer)
    ResourceEntry.objects.filter(pk=entry.pk).update(last_maintained_at=dt.datetime(2025, 1, 1, tzinfo=SH))
    assert duties.flag_unmaintained() == 1
    assert duties.flag_unmaintained() == 0
    assert Notification.objects.filter(user=officer, kind="catalog.maintenance_due").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_step_once(officer, reviewer):
    published(officer, reviewer)
    published(officer, reviewer, name="资源二")
    duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="修订",
        effective_date=dt.date(2026, 4, 30),
    )
    after = dt.datetime(2026, 5, 14, 9, tzinfo=SH)
    results, barrier = [], threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            results.append(duties.sweep_update_duties(now=after))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["warned"] for r in results) == 2
    assert AuditEntry.objects.filter(action="catalog.duty.overdue").count() == 2
    assert Notification.objects.filter(user=officer, kind="catalog.duty_overdue").count() == 2


def test_the_department_answers_a_duty_when_it_submits_not_when_the_bureau_approves(officer, reviewer):
    """Lhasa art. 7 binds the department: its update counts at submission, so a slow review does not
    make it late; a returned submission does not count, the next one does; while an update waits for
    review the department is neither reminded nor warned and the duty leaves its inbox."""
    from portal import inbox

    entry = published(officer, reviewer)
    duties.duty_change_record(
        actor=reviewer, department=officer.department, kind="law", description="修订", effective_date=dt.date.today()
    )
    duty = UpdateDuty.objects.get(entry=entry)
    assert inbox.inbox_for(officer, kinds=["catalog.duty"])
    entries.entry_revise(actor=officer, entry=entry)
    entries.entry_submit(actor=officer, entry=entry)
    duty.refresh_from_db()
    submitted = duty.done_at
    assert duty.status == UpdateDuty.Status.OPEN and submitted is not None
    assert not inbox.inbox_for(officer, kinds=["catalog.duty"])
    late = duty.due_at + dt.timedelta(days=3)
    assert duties.sweep_update_duties(now=late)["warned"] == 0  # waiting for the bureau, not overdue
    entries.entry_return(actor=reviewer, entry=entry, reasons="请补充")
    duty.refresh_from_db()
    assert duty.done_at is None and inbox.inbox_for(officer, kinds=["catalog.duty"])
    entries.entry_submit(actor=officer, entry=entry)
    UpdateDuty.objects.filter(pk=duty.pk).update(done_at=duty.due_at - dt.timedelta(hours=1))  # on time
    entries.entry_approve(actor=reviewer, entry=entry)  # reviewed long after the deadline
    duty.refresh_from_db()
    assert duty.status == UpdateDuty.Status.DONE and duty.done_at == duty.due_at - dt.timedelta(hours=1)
