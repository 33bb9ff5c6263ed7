"""Notifications in bulk: many users and notices in one INSERT, still once per (user, key) under
concurrency; one e-mail task per batch, which reads the opt-outs once and sends each e-mail once;
the periodic job is not held up by users without an e-mail address."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Notification, NotificationPreference
from portal.roles import Role
from portal.services import notifications
from portal.services.notifications import Notice, notify, notify_many
from portal.tasks import send_notification_emails, send_pending_notification_emails
from tests.factories import user_with_role


@pytest.fixture
def officers(db):
    return [user_with_role(Role.DATA_OFFICER) for _ in range(4)]


def test_many_users_and_notices_are_one_insert_and_one_email_task(officers, django_capture_on_commit_callbacks):
    notices = [Notice(users=tuple(officers), kind="catalog.duty", key=f"duty:{n}", title=f"任务{n}") for n in range(5)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        created = notify_many(notices)
    assert len(queries) == 1
    assert len(created) == Notification.objects.count() == 20
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notify_many(notices) == []  # all there: nothing new, nothing queued
    assert len(callbacks) == 0 and Notification.objects.count() == 20


def test_inactive_and_missing_users_are_skipped_and_duplicates_collapsed(officers):
    officers[0].is_active = False
    officers[0].save(update_fields=["is_active"])
    created = notify(users=[officers[0], None, officers[1], officers[1]], kind="catalog.duty", key="k", title="标题")
    assert [n.user_id for n in created] == [officers[1].pk]
    assert Notification.objects.get().title == "标题"


def test_a_batch_writes_its_notices_together_and_an_error_discards_them(officers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        with notifications.batched():
            for n in range(10):
                assert notify(users=officers[:2], kind="catalog.duty", key=f"b:{n}", title="批量") == []
            assert Notification.objects.count() == 0  # not yet: written when the block ends
    assert Notification.objects.count() == 20
    assert len(queries) == 2 and len(callbacks) == 1  # the count above, and the one INSERT
    with pytest.raises(RuntimeError), transaction.atomic():
        with notifications.batched():
            notify(users=officers, kind="catalog.duty", key="lost", title="不会写入")
            raise RuntimeError("job failed")
    assert not Notification.objects.filter(key="lost").exists()
    with notifications.batched():
        notify(users=officers, kind="catalog.duty", key="after", title="之后")  # the batch state was reset
    assert Notification.objects.filter(key="after").count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_jobs_racing_for_the_same_keys_make_each_notification_once():
    users = [user_with_role(Role.DATA_OFFICER) for _ in range(3)]
    notices = [Notice(users=tuple(users), kind="catalog.duty", key=f"race:{n}", title="并发") for n in range(4)]
    first_inserted = threading.Event()
    results = {}

    def job(name, wait_for=None, hold=0.0):
        try:
            if wait_for is not None:
                wait_for.wait(10)
            with transaction.atomic():
                results[name] = notify_many(list(reversed(notices)) if name == "second" else notices)
                if name == "first":
                    first_inserted.set()
                    time.sleep(hold)  # the second job's INSERT now waits for this commit
        finally:
            connection.close()

    threads = [
        threading.Thread(target=job, args=("first", None, 0.5)),
        threading.Thread(target=job, args=("second", first_inserted)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results["first"]) == 12 and results["second"] == []
    assert Notification.objects.filter(key__startswith="race:").count() == 12


def test_the_email_task_sends_each_once_and_settles_the_opted_out(officers):
    NotificationPreference.objects.create(user=officers[0], kind="catalog.duty", email=False)
    officers[1].email = ""
    officers[1].save(update_fields=["email"])
    created = notify_many(
        [Notice(users=tuple(officers), kind="catalog.duty", key=f"m:{n}", title=f"邮件{n}") for n in range(3)]
    )
    ids = [n.pk for n in created]
    with CaptureQueriesContext(connection) as queries:
        assert send_notification_emails(ids) == 6  # officers 2 and 3, three each
    # the rows, the opt-outs and the settling of the opted-out: three statements for the batch; per
    # e-mail its lock and its stamp (and here a SAVEPOINT and its RELEASE: the test runs in a transaction)
    assert len(queries) <= 3 + 4 * 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officers[2].email] * 3 + [officers[3].email] * 3)
    rows = Notification.objects.all()
    assert rows.filter(user=officers[0], emailed_at__isnull=False).count() == 3  # settled, never sent
    assert rows.filter(user=officers[1], emailed_at__isnull=True).count() == 3  # no address: left alone
    assert send_notification_emails(ids) == 0  # a re-delivered task sends nothing more
    assert len(mail.outbox) == 6


def test_the_periodic_job_is_not_held_up_by_users_without_an_email_address(officers):
    officers[0].email = ""
    officers[0].save(update_fields=["email"])
    for n in range(3):
        notify(users=[officers[0]], kind="catalog.duty", key=f"none:{n}", title="无邮箱")
    notify(users=[officers[1]], kind="catalog.duty", key="some", title="有邮箱")
    Notification.objects.filter(user=officers[0]).update(created_at=timezone.now() - dt.timedelta(minutes=20))
    Notification.objects.filter(user=officers[1]).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert send_pending_notification_emails(batch=2) == 1
    assert [m.to for m in mail.outbox] == [[officers[1].email]]
