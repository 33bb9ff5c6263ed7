"""After a restore into a new PostgreSQL cluster — whose transaction ids start again from the
beginning — new entries are still sealed and the chain still verifies (txid base, migration 0005)."""

import pytest
from django.db import connection

from audit.models import AuditBlock, AuditEntry, AuditTxidBase
from audit.services import record
from audit.services.chain import seal
from audit.services.verification import check_chain
from tests.audit.conftest import rewrite_whole_chain, superuser_without_triggers

pytestmark = pytest.mark.django_db(transaction=True)

OLD_CLUSTER_AHEAD = 10_000_000_000  # the old cluster had used this many more transaction ids


def _as_if_restored_into_a_new_cluster():
    """Number every entry and block as the old cluster did, far ahead of this cluster's counter."""
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET txid = txid + %s", [OLD_CLUSTER_AHEAD])
        cursor.execute(
            "UPDATE audit_auditblock SET txid_hi = txid_hi + %s, "
            "txid_lo = CASE WHEN txid_lo = 0 THEN 0 ELSE txid_lo + %s END",
            [OLD_CLUSTER_AHEAD, OLD_CLUSTER_AHEAD],
        )
        rewrite_whole_chain(cursor)
    assert check_chain().ok


def _current_transaction_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


def test_new_entries_after_a_restore_into_a_new_cluster_are_sealed(officer):
    sealed = [record("test.before_backup", actor=officer) for _ in range(3)]
    seal()
    unsealed_at_backup = record("test.unsealed_at_backup", actor=officer)
    _as_if_restored_into_a_new_cluster()
    floor = AuditBlock.objects.order_by("-number").first().txid_hi
    assert _current_transaction_id() < floor  # the situation of a new cluster

    after = record("test.after_restore", actor=officer)
    after_txid = AuditEntry.objects.get(pk=after.pk).txid
    restored_txid = AuditEntry.objects.get(pk=unsealed_at_backup.pk).txid
    assert after_txid > restored_txid > floor  # numbering continues above everything restored
    assert AuditTxidBase.objects.get().adopted_at is not None

    blocks = seal()
    sealed_now = {i for b in blocks for i in b.entry_ids}
    assert {after.pk, unsealed_at_backup.pk} <= sealed_now
    assert not {e.pk for e in sealed} & sealed_now
    report = check_chain()
    assert report.ok and report.unsealed_entries == 0, report


def test_the_seal_job_moves_the_base_even_before_any_new_entry(officer):
    record("test.before_backup", actor=officer)
    seal()
    unsealed_at_backup = record("test.unsealed_at_backup", actor=officer)
    _as_if_restored_into_a_new_cluster()
    assert unsealed_at_backup.pk in {i for b in seal() for i in b.entry_ids}
    assert check_chain().ok


def test_the_base_is_moved_once(officer):
    record("test.before_backup", actor=officer)
    seal()
    _as_if_restored_into_a_new_cluster()
    record("test.after_restore", actor=officer)
    base = AuditTxidBase.objects.get().base
    for _ in range(3):
        record("test.after_restore", actor=officer)
    seal()
    assert AuditTxidBase.objects.get().base == base


def test_in_an_ordinary_cluster_the_base_stays_zero(officer):
    record("test.operation", actor=officer)
    seal()
    record("test.operation", actor=officer)
    seal()
    assert not AuditTxidBase.objects.filter(base__gt=0).exists()
