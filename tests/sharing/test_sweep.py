"""The deadline sweep is safe to run twice at once, catches up after an outage, and leaves nothing
half-done when killed (docs/conventions.md, pitfalls: no Celery countdowns; rows with due times, SKIP LOCKED)."""

import datetime as dt
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from config.celery import app
from portal.models import Notification
from sharing.models import Application, Coordination, Deadline
from sharing.services import applications, coordination, deadlines, objections
from tests.sharing import factories


def many_applications(w, n):
    """n pending applications of n departments for the same entry."""
    from portal.roles import Role
    from sharing.services import applications as services
    from tests.factories import user_with_role

    created = []
    for _ in range(n):
        staff = user_with_role(Role.DEPARTMENT_STAFF)
        created.append(
            services.application_submit(
                actor=staff,
                entry=w.entry,
                purpose="核定待遇",
                scenario_text="待遇审核",
                items=["district"],
                mode="query",
                end_date=timezone.localdate() + dt.timedelta(days=30),
            )
        )
    return created


def _parallel(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_warning_once(settings):
    settings.SHARING = {"SWEEP_BATCH": 3}
    w = factories.world(rows=False)
    created = many_applications(w, 12)
    later = timezone.now() + dt.timedelta(days=30)
    results, errors = _parallel(lambda: deadlines.sweep_deadlines(now=later))
    assert errors == []
    assert sum(r["warned"] for r in results) == 12 and sum(r["escalated"] for r in results) == 12
    ids = [str(a.pk) for a in created]
    assert AuditEntry.objects.filter(action="sharing.deadline.overdue", object_id__in=ids).count() == 12
    assert AuditEntry.objects.filter(action="sharing.application.escalate", object_id__in=ids).count() == 12
    keys = list(
        Notification.objects.filter(user=w.provider_officer, kind="sharing.deadline_overdue").values_list(
            "key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) == 12


def test_a_sweep_after_a_long_outage_catches_up_on_every_missed_step(world):
    pending = factories.apply(world)
    grant = applications.application_approve(
        actor=world.provider_officer, application=factories.apply(world, mode="compare")
    )
    objection = objections.objection_raise(
        actor=world.applicant, grant=grant, rows="全部", items=["name"], reason="姓名有误"
    )
    other = factories.world(share_type="not_shared", rows=False)
    request = coordination.coordination_open(actor=other.applicant, entry=other.entry, need="办案需要核实记录")
    # Nothing ran for two months (worker and Redis down); then one sweep: the warnings and escalations
    # it missed, but no "due soon" reminder for what is already overdue (SECURITY.md 22.4).
    counts = deadlines.sweep_deadlines(now=timezone.now() + dt.timedelta(days=60))
    assert counts == {"reminded": 0, "warned": 3, "escalated": 3}
    for deadline in Deadline.objects.filter(closed_at__isnull=True):
        assert deadline.warned_at and deadline.escalated_at and deadline.overdue and deadline.reminded_at is None
    pending.refresh_from_db()
    request.refresh_from_db()
    assert pending.status == Application.Status.ESCALATED
    assert request.status == Coordination.Status.ESCALATED
    assert Notification.objects.filter(user=world.reviewer, kind="sharing.escalated").count() == 3
    assert not Notification.objects.filter(kind="sharing.deadline_reminder").exists()
    assert objection.deadline.pk in Deadline.objects.filter(escalated_at__isnull=False).values_list("pk", flat=True)


def test_a_sweep_killed_half_way_leaves_no_step_half_done(world, monkeypatch, settings):
    settings.SHARING = {"SWEEP_BATCH": 2}
    created = many_applications(world, 4)
    real_warn, calls = deadlines._warn, []

    def dying(deadline):
        calls.append(deadline.pk)
        if len(calls) == 4:
            raise RuntimeError("worker killed")
        real_warn(deadline)

    monkeypatch.setattr(deadlines, "_warn", dying)
    later = timezone.now() + dt.timedelta(days=30)
    with pytest.raises(RuntimeError):
        deadlines.sweep_deadlines(now=later)
    # The first batch committed; the second rolled back whole, warning and stamp together.
    assert Deadline.objects.filter(warned_at__isnull=False).count() == 2
    monkeypatch.setattr(deadlines, "_warn", real_warn)
    assert deadlines.sweep_deadlines(now=later)["warned"] == 2
    ids = [str(a.pk) for a in created]
    assert AuditEntry.objects.filter(action="sharing.deadline.overdue", object_id__in=ids).count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_runs_the_sweep_on_a_real_worker(settings):
    w = factories.world(rows=False)
    application = factories.apply(w)
    Deadline.objects.filter(application=application).update(
        remind_at=timezone.now() - dt.timedelta(days=9), due_at=timezone.now() - dt.timedelta(days=2)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = app.tasks["sharing.tasks.sweep_deadlines"].apply_async(queue=settings.CELERY_TASK_DEFAULT_QUEUE)
        assert result.get(timeout=30) == {"reminded": 0, "warned": 1, "escalated": 1}  # overdue: no reminder
    application.refresh_from_db()
    assert application.status == Application.Status.ESCALATED


def test_the_schedule_sweeps_every_few_minutes():
    from sharing.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["sharing-sweep-deadlines"]["task"] == "sharing.tasks.sweep_deadlines"
    assert app.conf.beat_schedule["sharing-sweep-deadlines"]["schedule"].minute == set(range(0, 60, 5))


@pytest.mark.django_db(transaction=True)
def test_an_application_being_decided_is_not_blocked_by_the_sweep_and_is_escalated_later():
    from django.db import transaction

    w = factories.world(rows=False)
    application = factories.apply(w)
    later = timezone.now() + dt.timedelta(days=30)
    locked, release = threading.Event(), threading.Event()

    def reviewer_holds_the_row():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=application.pk)
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=reviewer_holds_the_row)
    holder.start()
    assert locked.wait(10)
    try:
        first = deadlines.sweep_deadlines(now=later)  # does not wait for the reviewer
    finally:
        release.set()
        holder.join(20)
    assert first == {"reminded": 0, "warned": 1, "escalated": 0}
    assert deadlines.sweep_deadlines(now=later) == {"reminded": 0, "warned": 0, "escalated": 1}
