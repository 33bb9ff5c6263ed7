"""A2: entries are kept at least 3 years; the retention job drops whole monthly partitions that are
entirely older, records what it dropped, never touches anything younger; the chain still verifies."""

import datetime as dt

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from audit import tasks
from audit.models import AuditEntry, AuditPartitionDrop
from audit.services.chain import seal
from audit.services.partitions import list_partitions, month_start, partition_name
from audit.services.retention import apply_retention, years_before
from audit.services.verification import check_chain
from portal.models import Notification
from tests.audit.conftest import make_entry, superuser_without_triggers

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 12, 0))


def _month_of(moment):
    return month_start(timezone.localtime(moment).date())


def _exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        return cursor.fetchone()[0] is not None


@pytest.fixture
def old_and_young(officer):
    three_years = years_before(NOW, 3)
    old = [make_entry(at=three_years - dt.timedelta(days=40, hours=i), actor=officer) for i in range(3)]
    young = make_entry(at=three_years + dt.timedelta(days=1), actor=officer)  # 3 years minus a day old
    same_month_older = make_entry(at=three_years - dt.timedelta(hours=1), actor=officer)
    recent = make_entry(at=NOW - dt.timedelta(days=2), actor=officer)
    seal()
    return old, young, same_month_older, recent


def test_a_month_older_than_three_years_is_dropped_and_younger_entries_are_kept(old_and_young):
    old, young, same_month_older, recent = old_and_young
    old_partition = partition_name(_month_of(old[0].occurred_at))
    drops = apply_retention(now=NOW)
    assert [d.partition for d in drops] == [old_partition]
    assert not _exists(old_partition)
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    # Entry 3 years minus a day old; an entry a bit over 3 years old whose month is not entirely
    # past the retention; a recent one: all kept.
    kept = {young.pk, same_month_older.pk, recent.pk}
    assert set(AuditEntry.objects.filter(pk__in=kept).values_list("pk", flat=True)) == kept
    assert _exists(partition_name(_month_of(young.occurred_at)))


def test_what_was_dropped_is_recorded_and_chained(old_and_young):
    old = old_and_young[0]
    apply_retention(now=NOW)
    drop = AuditPartitionDrop.objects.get()
    assert drop.row_count == len(old) and drop.verified and drop.retention_years == 3
    assert drop.first_block is not None and drop.chain_head_hash
    checkpoint = AuditEntry.objects.get(action="audit.retention.drop")
    assert checkpoint.detail["rows"] == len(old) and checkpoint.detail["partition"] == drop.partition
    blocks = seal()
    assert checkpoint.pk in [i for b in blocks for i in b.entry_ids]  # the checkpoint is chained


def test_the_chain_stays_verifiable_after_a_drop(old_and_young):
    apply_retention(now=NOW)
    seal()
    report = check_chain()
    assert report.ok and not report.removed
    assert AuditEntry.objects.filter(action="audit.retention.drop").count() == 1


def test_running_twice_drops_nothing_more(old_and_young):
    assert len(apply_retention(now=NOW)) == 1
    assert apply_retention(now=NOW) == []


def test_a_retention_under_three_years_is_refused(settings, old_and_young):
    settings.AUDIT_RETENTION_YEARS = 2
    assert "audit.E001" in [e.id for e in run_checks()]
    with pytest.raises(ImproperlyConfigured):
        apply_retention(now=NOW)
    with pytest.raises(ImproperlyConfigured):
        tasks.apply_retention()
    assert len(list_partitions()) >= 6 and AuditPartitionDrop.objects.count() == 0
    settings.AUDIT_RETENTION_YEARS = 3
    assert "audit.E001" not in [e.id for e in run_checks()]


def test_a_longer_retention_keeps_more(settings, old_and_young):
    settings.AUDIT_RETENTION_YEARS = 5
    assert apply_retention(now=NOW) == []


def test_a_tampered_month_is_kept_for_investigation(old_and_young, auditor):
    old = old_and_young[0]
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s", [old[0].pk])
    assert apply_retention(now=NOW) == []
    assert _exists(partition_name(_month_of(old[0].occurred_at)))
    refused = AuditEntry.objects.get(action="audit.retention.refused")
    assert refused.outcome == "failure" and any(str(old[0].pk) in p for p in refused.detail["problems"])
    assert Notification.objects.filter(user=auditor, key__startswith="audit.retention.refused").exists()


# --- the drop after a passing daily verification: counts and ids instead of every digest (B6) ---------
def _verified():
    from audit.services.verification import verify_chain

    verification, report = verify_chain(trigger="test")
    assert report.ok, report
    return verification


def _no_digest_check(month):
    raise AssertionError("the month's digests were re-computed although a verification covered it")


def test_after_a_passing_verification_the_drop_checks_counts_and_ids_only(old_and_young, monkeypatch):
    old = old_and_young[0]
    verification = _verified()
    monkeypatch.setattr("audit.services.verification.check_month", _no_digest_check)
    drops = apply_retention(now=NOW)
    assert [d.partition for d in drops] == [partition_name(_month_of(old[0].occurred_at))]
    assert drops[0].verified and drops[0].row_count == len(old)
    assert AuditEntry.objects.get(action="audit.retention.drop").detail["check"] == f"verification:{verification.pk}"


def test_without_a_verification_every_digest_is_checked(old_and_young):
    apply_retention(now=NOW)
    assert AuditEntry.objects.get(action="audit.retention.drop").detail["check"] == "digests"


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_an_entry_deleted_or_replaced_after_the_verification_keeps_the_month(old_and_young, auditor, monkeypatch, how):
    old = old_and_young[0]
    _verified()
    monkeypatch.setattr("audit.services.verification.check_month", _no_digest_check)
    with superuser_without_triggers() as cursor:
        if how == "deleted":
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [old[1].pk])
        else:  # another entry in its place: same count, other id
            cursor.execute("UPDATE audit_auditentry SET id = id + 1000000 WHERE id = %s", [old[1].pk])
    assert apply_retention(now=NOW) == []
    assert _exists(partition_name(_month_of(old[0].occurred_at)))
    refused = AuditEntry.objects.get(action="audit.retention.refused")
    assert refused.outcome == "failure" and refused.detail["problems"]
    assert Notification.objects.filter(user=auditor, key__startswith="audit.retention.refused").exists()


def test_a_stale_failed_or_switched_off_verification_is_not_trusted(old_and_young, settings):
    from audit.services.verification import covering_verification

    old = old_and_young[0]
    month = _month_of(old[0].occurred_at)
    verification = _verified()
    assert covering_verification(month) == verification
    assert covering_verification(month, now=timezone.now() + dt.timedelta(hours=25)) is None  # stale
    settings.AUDIT_RETENTION_TRUST_VERIFICATION_HOURS = 0
    assert covering_verification(month) is None  # switched off
    settings.AUDIT_RETENTION_TRUST_VERIFICATION_HOURS = 24
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s", [old[0].pk])
    _failed, report = __import__("audit.services.verification", fromlist=["verify_chain"]).verify_chain(trigger="test")
    assert not report.ok
    assert covering_verification(month) is None  # a later failed run voids the earlier pass
    assert apply_retention(now=NOW) == []  # and the full check finds the altered entry
    assert AuditEntry.objects.get(action="audit.retention.refused").detail["check"] == "digests"
