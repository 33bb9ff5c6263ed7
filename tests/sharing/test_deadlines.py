"""S4 deadlines: 5 working days on the official calendar (holidays and make-up days), a reminder one
working day before, an overdue warning after, escalation to the bureau, overdue counts kept."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from audit.models import AuditEntry
from portal.models import Notification
from sharing import selectors
from sharing.models import Application, Deadline
from sharing.services import applications, deadlines, objections
from tests.sharing import factories

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


def clock(monkeypatch, moment):
    """Run the application services at `moment` (the audit log keeps the real time)."""
    from types import SimpleNamespace

    fake = SimpleNamespace(
        now=lambda: moment,
        localdate=lambda value=None: timezone.localdate(value or moment),
        localtime=timezone.localtime,
    )
    monkeypatch.setattr(applications, "timezone", fake)


def test_deadlines_skip_holidays_and_count_make_up_days(world, monkeypatch):
    # Received Thu 30 April 2026: 1-5 May is the Labour Day holiday, Sat 9 May a make-up working day.
    clock(monkeypatch, at(2026, 4, 30, 10))
    application = factories.apply(world, end_date=dt.date(2026, 6, 30))
    deadline = Deadline.objects.get(application=application)
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 5, 11)  # 5-6, 5-7, 5-8, 5-9, 5-11
    assert deadline.due_at == at(2026, 5, 11, 23, 59, 59, 999999)
    assert deadline.remind_at == at(2026, 5, 9, 0, 0)  # the working day before the last day


def test_reminder_then_warning_then_escalation_each_once(world):
    application = factories.apply(world)
    deadline = Deadline.objects.get(application=application)
    assert deadlines.sweep_deadlines(now=deadline.remind_at - dt.timedelta(minutes=1)) == {
        "reminded": 0,
        "warned": 0,
        "escalated": 0,
    }
    assert deadlines.sweep_deadlines(now=deadline.remind_at + dt.timedelta(minutes=1))["reminded"] == 1
    assert deadlines.sweep_deadlines(now=deadline.due_at - dt.timedelta(minutes=1))["reminded"] == 0
    assert Notification.objects.filter(user=world.provider_officer, kind="sharing.deadline_reminder").count() == 1
    after = deadline.due_at + dt.timedelta(minutes=1)
    assert deadlines.sweep_deadlines(now=after) == {"reminded": 0, "warned": 1, "escalated": 1}
    assert deadlines.sweep_deadlines(now=after + dt.timedelta(days=3)) == {"reminded": 0, "warned": 0, "escalated": 0}
    application.refresh_from_db()
    assert application.status == Application.Status.ESCALATED and application.escalated_at == after
    assert Notification.objects.filter(user=world.provider_officer, kind="sharing.deadline_overdue").count() == 1
    assert Notification.objects.filter(user=world.reviewer, kind="sharing.escalated").count() == 1
    assert AuditEntry.objects.filter(action="sharing.application.escalate", object_id=str(application.pk)).count() == 1


def test_an_answer_after_the_deadline_is_counted_overdue_for_the_provider(world, monkeypatch):
    late = factories.apply(world)
    on_time = factories.apply(world, mode="compare")
    applications.application_approve(actor=world.provider_officer, application=on_time)
    due = Deadline.objects.get(application=late).due_at
    clock(monkeypatch, due + dt.timedelta(hours=2))
    applications.application_refuse(actor=world.provider_officer, application=late, reason="超出履职范围")
    rows = [r for r in selectors.overdue_counts() if r["department_id"] == world.provider.pk]
    assert rows == [
        {
            "department_id": world.provider.pk,
            "department": world.provider.name,
            "kind": "review",
            "total": 2,
            "on_time": 1,
            "late": 1,
            "open_overdue": 0,
            "overdue": 1,
        }
    ]


def test_open_overdue_objections_count_before_any_sweep(world):
    grant = applications.application_approve(actor=world.provider_officer, application=factories.apply(world))
    objection = objections.objection_raise(
        actor=world.applicant, grant=grant, rows="第 3 行", items=["name"], reason="姓名与户籍信息不一致"
    )
    due = Deadline.objects.get(objection=objection).due_at
    rows = selectors.overdue_counts(now=due + dt.timedelta(days=1))
    counts = {(r["department_id"], r["kind"]): r for r in rows}
    assert counts[(world.provider.pk, "objection")]["open_overdue"] == 1
    assert counts[(world.provider.pk, "objection")]["overdue"] == 1


def test_a_request_already_overdue_when_first_swept_is_warned_without_a_late_reminder(world):
    """SECURITY.md 22.4: the sweep used to send "到期提醒（补发…）" at the same moment as "已超期"."""
    application = factories.apply(world)
    deadline = Deadline.objects.get(application=application)
    after = deadline.due_at + dt.timedelta(minutes=1)
    assert deadlines.sweep_deadlines(now=after) == {"reminded": 0, "warned": 1, "escalated": 1}
    assert deadlines.sweep_deadlines(now=after + dt.timedelta(days=2)) == {"reminded": 0, "warned": 0, "escalated": 0}
    titles = list(Notification.objects.filter(user=world.provider_officer).values_list("kind", "title"))
    assert [k for k, _t in titles if k.startswith("sharing.deadline")] == ["sharing.deadline_overdue"]
    assert not [t for _k, t in titles if "补发" in t or "到期提醒" in t]
    assert not AuditEntry.objects.filter(action="sharing.deadline.remind", object_id=str(application.pk)).exists()
    deadline.refresh_from_db()
    assert deadline.reminded_at is None and deadline.warned_at == after


def test_a_reminder_missed_while_the_deadline_is_still_ahead_is_sent(world):
    application = factories.apply(world)
    deadline = Deadline.objects.get(application=application)
    assert deadlines.sweep_deadlines(now=deadline.due_at - dt.timedelta(minutes=1)) == {
        "reminded": 1,
        "warned": 0,
        "escalated": 0,
    }
    reminder = Notification.objects.get(user=world.provider_officer, kind="sharing.deadline_reminder")
    assert reminder.title.startswith("即将到期")
