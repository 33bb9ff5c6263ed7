"""A3: entries are sealed into hash-chained blocks by a periodic job, without any lock in record()."""

import threading

import psycopg2
import pytest
from django.db import connection, connections
from django.utils import timezone

from audit import tasks
from audit.models import AuditBlock, AuditEntry
from audit.services import record
from audit.services.canonical import GENESIS_HASH, block_hash
from audit.services.chain import seal
from audit.services.partitions import month_start
from audit.services.verification import check_chain
from tests.audit.conftest import make_entry

pytestmark = pytest.mark.django_db(transaction=True)


def _other_connection():
    """A second, independent client of the same database (another web worker)."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    return other


def test_seal_chains_every_committed_entry_once(officer):
    first = [record("test.operation", actor=officer, detail={"n": i}) for i in range(5)]
    blocks = seal()
    assert len(blocks) == 1
    block = blocks[0]
    assert block.number == 1 and block.prev_hash == GENESIS_HASH
    assert sorted(block.entry_ids) == sorted(e.pk for e in AuditEntry.objects.all())
    assert block.block_hash == block_hash(
        prev_hash=GENESIS_HASH,
        number=1,
        month=block.month,
        txid_lo=block.txid_lo,
        txid_hi=block.txid_hi,
        entry_ids=block.entry_ids,
        digests=bytes(block.entry_digests),
    )
    assert seal() == []  # idempotent: nothing new, no empty block
    more = record("test.operation", actor=officer)
    second = seal()
    assert [b.number for b in second] == [2]
    assert second[0].prev_hash == block.block_hash
    assert second[0].txid_lo == block.txid_hi
    assert more.pk in second[0].entry_ids and first[0].pk not in second[0].entry_ids
    assert check_chain().ok


def test_an_entry_committed_late_is_sealed_later_not_lost(officer):
    """A long transaction records early and commits after others: it is neither skipped nor flagged."""
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditentry (occurred_at, actor_username, actor_name, department_name, role, action, "
                "object_type, object_id, object_repr, outcome, request_id, detail, txid) "
                "VALUES (now(), 'slow', '', '', '', 'test.slow', '', '', '', 'success', '', '{}', 0) RETURNING id"
            )
            slow_id = cursor.fetchone()[0]
        fast = record("test.operation", actor=officer)
        assert fast.pk > slow_id
        sealed = [i for b in seal() for i in b.entry_ids]
        assert slow_id not in sealed
        assert fast.pk not in sealed  # its transaction is younger than the open one: it waits too
        other.commit()
    finally:
        other.close()
    sealed = [i for b in seal() for i in b.entry_ids]
    assert {slow_id, fast.pk} <= set(sealed)
    report = check_chain()
    assert report.ok, report
    assert report.unsealed_entries == 0


def test_two_seal_jobs_at_once_seal_each_entry_once(officer):
    for i in range(30):
        record("test.operation", actor=officer, detail={"n": i})
    results, barrier = [], threading.Barrier(2)

    def job():
        barrier.wait()
        try:
            results.append(seal(batch=7))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seal()  # whatever a loser of the lock left
    ids = [i for b in AuditBlock.objects.order_by("number") for i in b.entry_ids]
    assert len(ids) == len(set(ids)) == AuditEntry.objects.count()
    numbers = list(AuditBlock.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert check_chain().ok


def test_a_batch_never_splits_one_transaction(officer):
    from django.db import transaction

    with transaction.atomic():
        big = [record("test.bulk", actor=officer, detail={"n": i}) for i in range(12)]
    small = record("test.operation", actor=officer)
    blocks = seal(batch=5)
    assert set(blocks[0].entry_ids) == {e.pk for e in big}
    assert small.pk in blocks[-1].entry_ids
    assert check_chain().ok


def test_one_block_per_month_so_retention_can_drop_a_month(officer):
    now = timezone.now()
    old = make_entry(at=now.replace(day=1) - timezone.timedelta(days=40), actor=officer)
    new = make_entry(actor=officer)
    blocks = seal()
    assert len(blocks) == 2
    months = {b.month: b.entry_ids for b in blocks}
    this_month = month_start(timezone.localdate())
    assert months[this_month] == [new.pk]
    assert months[month_start(timezone.localtime(old.occurred_at).date())] == [old.pk]


def test_the_seal_task_runs_the_service(officer):
    record("test.operation", actor=officer)
    assert tasks.seal() == 1
    assert tasks.seal() == 0
