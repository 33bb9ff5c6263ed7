"""audit.batched(): the entries of a block go in as one INSERT, exactly as single record() calls would
write them (same content, same transaction id for the seal job), or not at all."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import services as audit
from audit.models import AuditEntry
from audit.services import record
from audit.services.chain import seal
from audit.services.verification import check_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _inserts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditentry"')]


def test_a_block_inserts_its_entries_once_at_its_end_in_order(officer):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit.batched():
            entries = [
                record("test.batched", actor=officer, target=("test.thing", i, f"物品{i}"), detail={"n": i})
                for i in range(5)
            ]
            assert all(e.pk is None for e in entries)
            assert not AuditEntry.objects.filter(action="test.batched").exists()
        txid = connection.cursor()
        txid.execute("SELECT pg_current_xact_id()::text::bigint")
        current = txid.fetchone()[0]
    assert len(_inserts(queries)) == 1
    saved = list(AuditEntry.objects.filter(action="test.batched").order_by("id"))
    assert [e.pk for e in saved] == [e.pk for e in entries] and None not in [e.pk for e in entries]
    assert [e.detail["n"] for e in saved] == [0, 1, 2, 3, 4]
    assert [e.object_repr for e in saved] == [f"物品{i}" for i in range(5)]
    assert {e.actor_username for e in saved} == {officer.username}
    assert {e.department_id for e in saved} == {officer.department_id}
    assert {e.txid for e in saved} == {current}  # the trigger ran for every row


def test_an_error_in_the_block_inserts_nothing(officer):
    with pytest.raises(RuntimeError):
        with transaction.atomic(), audit.batched():
            record("test.batched", actor=officer)
            raise RuntimeError("the job failed half-way")
    assert not AuditEntry.objects.filter(action="test.batched").exists()


def test_a_nested_block_adds_to_the_outer_one(officer):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit.batched():
            record("test.batched", actor=officer, detail={"n": 1})
            with audit.batched():
                record("test.batched", actor=officer, detail={"n": 2})
            assert not AuditEntry.objects.filter(action="test.batched").exists()
    assert len(_inserts(queries)) == 1
    assert sorted(e.detail["n"] for e in AuditEntry.objects.filter(action="test.batched")) == [1, 2]


def test_batched_entries_are_sealed_and_verified_like_single_ones(officer):
    record("test.single", actor=officer)
    with transaction.atomic(), audit.batched():
        for i in range(3):
            record("test.batched", actor=officer, detail={"n": i})
    record("test.single", actor=officer)
    sealed = {pk for block in seal() for pk in block.entry_ids}
    assert sealed == set(AuditEntry.objects.values_list("pk", flat=True))
    assert check_chain().ok
