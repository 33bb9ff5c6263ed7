"""The pass over the audit stream: one open alert per rule and subject, later hits added to it; an
entry read twice is evidence once; an entry that commits after the cursor went past its time is
still read; a second pass while one holds the cursor does nothing; the cost follows new entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry, Outcome
from portal.models import Notification
from secops.detection.models import Alert, AlertEvidence, Cursor
from secops.detection.services import alerts as alert_services
from secops.detection.services.passes import run_pass
from tests.secops.detection.conftest import alerts, only, run

pytestmark = pytest.mark.django_db


def _lockouts(write, n, ip="203.0.113.7", at=None):
    return [
        write("auth.locked_out", ip=ip, outcome=Outcome.DENIED, at=at, detail={"username": f"u{i}"}) for i in range(n)
    ]


def test_later_hits_join_the_open_alert_and_a_second_run_adds_nothing(write, bureau_admin):
    rule = only("lockout")
    _lockouts(write, rule.threshold)
    run()
    (alert,) = alerts("lockout")
    assert alert.hits == rule.threshold
    assert Notification.objects.filter(user=bureau_admin, kind="detection.alert").count() == 1
    assert AuditEntry.objects.filter(action="detection.alert.open", object_id=str(alert.pk)).count() == 1
    run()
    run()
    assert AlertEvidence.objects.filter(alert=alert).count() == rule.threshold
    _lockouts(write, 2)
    run()
    (alert,) = alerts("lockout")
    assert alert.hits == rule.threshold + 2
    assert AuditEntry.objects.filter(action="detection.alert.hit", object_id=str(alert.pk)).count() == 1
    assert Notification.objects.filter(user=bureau_admin, kind="detection.alert").count() == 1


def test_after_an_alert_is_closed_a_new_hit_opens_a_new_one(write, reviewer):
    rule = only("lockout")
    _lockouts(write, rule.threshold)
    run()
    (alert,) = alerts("lockout")
    alert_services.alert_close(actor=reviewer, alert=alert, note="误报：测试机房。")
    assert AuditEntry.objects.filter(action="detection.alert.close", object_id=str(alert.pk)).exists()
    run()  # the same entries read again: no new alert
    assert Alert.objects.count() == 1
    _lockouts(write, 1)
    run()
    assert Alert.objects.filter(status=Alert.Status.OPEN).count() == 1
    assert Alert.objects.count() == 2


def test_an_entry_that_commits_after_the_cursor_passed_its_time_is_still_read(write):
    rule = only("lockout")
    rule.threshold = 1
    rule.save()
    run()  # the cursor is now at the latest entry
    cursor = Cursor.objects.get()
    # written now with a time before the cursor: as an entry of a transaction that was open while
    # the pass ran (this test's transaction is still open, its txid above the pass's horizon)
    late = write(
        "auth.locked_out", ip="192.0.2.1", outcome=Outcome.DENIED, at=cursor.occurred_at - dt.timedelta(seconds=30)
    )
    run()
    (alert,) = alerts("lockout")
    assert [e.audit_entry_id for e in alert.evidence.all()] == [late.pk]


def test_the_cost_of_a_pass_follows_the_new_entries_not_the_table(write):
    rule = only("lockout")
    now = timezone.now()
    Cursor.objects.create(pk=1, occurred_at=now - dt.timedelta(hours=1), entry_id=0, horizon=0)

    def measure(old: int) -> tuple[int, int]:
        # `old` entries before the cursor (and outside its overlap), then 10 new ones after it
        _lockouts(write, old, ip="198.51.100.9", at=now - dt.timedelta(hours=3))
        for i in range(10):
            write("auth.login_failed", ip="192.0.2.9", outcome=Outcome.FAILURE, at=now - dt.timedelta(minutes=59 - i))
        with CaptureQueriesContext(connection) as queries:
            result = run_pass()
        Cursor.objects.filter(pk=1).update(occurred_at=now - dt.timedelta(hours=1), entry_id=0, horizon=0)
        return result.entries, len(queries)

    few = measure(5)
    many = measure(400)
    # the new entries only (the first round's ten are after the reset cursor too), never the old ones
    assert few[0] == 10 and many[0] == 20
    assert many[1] == few[1]  # the same statements whatever the table holds
    assert rule.alerts.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_second_pass_while_one_holds_the_cursor_does_nothing(write):
    import threading

    from django.db import connections, transaction

    only("lockout")
    run_pass()
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            Cursor.objects.select_for_update().get(pk=1)
            holding.set()
            release.wait(10)
        connections.close_all()

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait(10)
    try:
        result = run_pass()
    finally:
        release.set()
        worker.join()
    assert result.skipped and result.entries == 0


def test_closing_needs_a_note_and_the_bureau(write, auditor, reviewer):
    from portal.errors import DomainError, PermissionDeniedError

    rule = only("lockout")
    _lockouts(write, rule.threshold)
    run()
    (alert,) = alerts("lockout")
    with pytest.raises(PermissionDeniedError):
        alert_services.alert_close(actor=auditor, alert=alert, note="看过了")
    with pytest.raises(DomainError):
        alert_services.alert_close(actor=reviewer, alert=alert, note="  ")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN
    assert not AuditEntry.objects.filter(action="detection.alert.close").exists()
