"""The deadline sweep's statements per batch do not grow with the overdue deadlines in it, nor with
the recipients of each notice (notices and audit entries go in as one INSERT each); its e-mails go out in one task per batch, once each, to those
who want them, and also when the broker was down (the periodic job sends them)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from audit.models import AuditEntry
from portal.models import Notification, NotificationPreference
from portal.roles import Role
from portal.tasks import send_notification_emails, send_pending_notification_emails
from sharing.models import Application, Deadline
from sharing.services import deadlines
from tests.factories import user_with_role
from tests.sharing import factories

LATER = dt.timedelta(days=30)


@pytest.fixture
def crowded(db):
    """A world whose provider has three data officers and whose bureau has three reviewers."""
    w = factories.world(rows=False)
    for _ in range(2):
        user_with_role(Role.DATA_OFFICER, department=w.provider)
        user_with_role(Role.BUREAU_REVIEWER)
    return w


def submit(w, n):
    """n pending applications from n departments; the notices of their submission are dropped (only
    the sweep's are looked at)."""
    from sharing.services import applications

    submitted = [
        applications.application_submit(
            actor=user_with_role(Role.DEPARTMENT_STAFF),
            entry=w.entry,
            purpose="核定待遇",
            scenario_text="待遇审核",
            items=["district"],
            mode="query",
            end_date=timezone.localdate() + dt.timedelta(days=60),
        )
        for _ in range(n)
    ]
    Notification.objects.exclude(kind__startswith="sharing.deadline").exclude(kind="sharing.escalated").delete()
    return submitted


def counted_sweep():
    with CaptureQueriesContext(connection) as queries:
        counts = deadlines.sweep_deadlines(now=timezone.now() + LATER)
    return counts, len(queries)


class Queued:
    """Stands in for the broker: records the e-mail tasks queued after each commit (or refuses them)."""

    def __init__(self, monkeypatch, *, broker_down=False):
        self.messages = []
        self.broker_down = broker_down
        monkeypatch.setattr(send_notification_emails, "apply_async", self.apply_async)

    def apply_async(self, args=(), kwargs=None, **options):
        if self.broker_down:
            raise OperationalError("Error 111 connecting to redis: Connection refused.")
        self.messages.append(list(args[0]))

    def deliver(self):
        """What the worker does with each message: the real task code."""
        return sum(send_notification_emails(ids) for ids in self.messages)


def test_more_overdue_deadlines_in_a_batch_cost_no_more_statements(crowded):
    submit(crowded, 2)
    small, few = counted_sweep()
    submit(crowded, 6)
    large, many = counted_sweep()
    # all overdue when first swept: a warning and an escalation each, no late reminder (SECURITY.md 22.4)
    assert small == {"reminded": 0, "warned": 2, "escalated": 2}
    assert large == {"reminded": 0, "warned": 6, "escalated": 6}
    # per deadline: a warning and an escalation, each audited and notified to the three
    # officers, three reviewers and the applicant; the entries, the notices, the recipients, the locks
    # and the stamps are written per batch
    assert many == few, (few, many)
    assert few <= 15, few  # about a dozen for the batch (claim, read, lock, inserts, stamps)
    assert AuditEntry.objects.filter(action="sharing.deadline.remind").count() == 0
    assert AuditEntry.objects.filter(action="sharing.deadline.overdue").count() == 8
    assert AuditEntry.objects.filter(action="sharing.application.escalate").count() == 8
    assert Notification.objects.filter(kind="sharing.deadline_overdue").count() == 3 * 8
    assert Notification.objects.filter(kind="sharing.escalated").count() == (3 + 1) * 8  # reviewers and the applicant


def test_a_batch_of_deadlines_queues_one_email_task(crowded, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.SHARING = {"SWEEP_BATCH": 3}
    submit(crowded, 7)
    queued = Queued(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep_deadlines(now=timezone.now() + LATER)["escalated"] == 7
    assert len(queued.messages) == 3  # batches of 3, 3 and 1
    assert sorted(pk for ids in queued.messages for pk in ids) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )


def test_sweep_emails_go_out_once_and_respect_preferences(
    crowded, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SHARING = {"SWEEP_BATCH": 2}
    officer = crowded.provider_officer
    NotificationPreference.objects.create(user=officer, kind="sharing.deadline_overdue", email=False)
    submit(crowded, 3)
    queued = Queued(monkeypatch)
    remind = Deadline.objects.order_by("-remind_at").first().remind_at + dt.timedelta(minutes=1)
    assert remind < Deadline.objects.order_by("due_at").first().due_at
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep_deadlines(now=remind)["reminded"] == 3
        deadlines.sweep_deadlines(now=timezone.now() + LATER)
        deadlines.sweep_deadlines(now=timezone.now() + LATER + dt.timedelta(days=1))  # finds nothing more
    notices = Notification.objects.all()
    wanted = notices.exclude(user=officer, kind="sharing.deadline_overdue")
    assert queued.deliver() == wanted.count() == notices.count() - 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.user.email for n in wanted.select_related("user"))
    # the officer sees the three warnings in the portal, and had their reminders by e-mail
    assert notices.filter(user=officer, kind="sharing.deadline_overdue").count() == 3
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 3
    assert not notices.filter(emailed_at__isnull=True).exists()  # the opted-out ones are settled
    assert queued.deliver() == 0  # a re-delivered message sends nothing more
    assert len(mail.outbox) == wanted.count()


def test_with_the_broker_down_the_sweep_completes_and_the_periodic_job_sends_the_emails(
    crowded, monkeypatch, django_capture_on_commit_callbacks
):
    applications = submit(crowded, 2)
    NotificationPreference.objects.create(user=crowded.reviewer, kind="sharing.escalated", email=False)
    Queued(monkeypatch, broker_down=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.sweep_deadlines(now=timezone.now() + LATER)["escalated"] == 2
    assert {a.status for a in Application.objects.filter(pk__in=[a.pk for a in applications])} == {
        Application.Status.ESCALATED
    }
    assert mail.outbox == []
    waiting = Notification.objects.filter(emailed_at__isnull=True)
    expected = waiting.exclude(user=crowded.reviewer, kind="sharing.escalated").count()
    assert expected == waiting.count() - 2 > 0
    assert send_pending_notification_emails(older_than_minutes=0) == expected
    assert not waiting.exists() and len(mail.outbox) == expected
    assert send_pending_notification_emails(older_than_minutes=0) == 0


@pytest.mark.django_db(transaction=True)
def test_an_application_being_answered_does_not_hold_up_the_rest_of_its_batch():
    w = factories.world(rows=False)
    first, busy, last = submit(w, 3)
    later = timezone.now() + LATER
    locked, release = threading.Event(), threading.Event()

    def reviewer_holds_the_row():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=reviewer_holds_the_row)
    holder.start()
    assert locked.wait(10)
    try:
        assert deadlines.sweep_deadlines(now=later) == {"reminded": 0, "warned": 3, "escalated": 2}
    finally:
        release.set()
        holder.join(20)
    assert set(Application.objects.filter(status=Application.Status.ESCALATED).values_list("pk", flat=True)) == {
        first.pk,
        last.pk,
    }
    assert deadlines.sweep_deadlines(now=later) == {"reminded": 0, "warned": 0, "escalated": 1}
    assert Deadline.objects.filter(escalated_at__isnull=True).count() == 0
    for application in (first, busy, last):
        assert (
            AuditEntry.objects.filter(action="sharing.application.escalate", object_id=str(application.pk)).count() == 1
        )
        key = f"sharing.deadline.escalate.asker:{application.deadline.pk}"
        assert Notification.objects.filter(key=key).count() == 1
