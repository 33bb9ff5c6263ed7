"""A3: the database refuses UPDATE, DELETE and TRUNCATE on audit entries — through Django and in raw
SQL, as the application's role (privileges) and even as the tables' owner (triggers), on the
partitioned parent and on every partition."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.utils import ProgrammingError
from django.utils import timezone

from audit.models import AppendOnlyError, AuditBlock, AuditEntry, AuditHeadExport, AuditPartitionDrop, AuditVerification
from audit.services import record
from audit.services.dbroles import current_role
from audit.services.partitions import list_partitions
from tests.audit.conftest import as_app_role, as_login_role, make_entry

pytestmark = pytest.mark.django_db


def _refused(statement, params=None):
    with pytest.raises(DatabaseError) as caught:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    return str(caught.value)


def test_application_role_may_read_and_append_only(officer, settings):
    with as_app_role():
        assert current_role() == settings.AUDIT_APP_DB_ROLE
        entry = record("test.operation", actor=officer, target=officer.department)  # INSERT works
        assert AuditEntry.objects.filter(pk=entry.pk).exists()  # SELECT works
        message = _refused("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
        assert "permission denied" in message
        assert "permission denied" in _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert "permission denied" in _refused("TRUNCATE audit_auditentry")


def test_application_role_cannot_touch_a_partition_directly(officer):
    record("test.operation", actor=officer)
    partitions = [p.name for p in list_partitions()]
    assert len(partitions) >= 4
    with as_app_role():
        for name in partitions:
            for statement in (
                f"TRUNCATE {name}",
                f"DELETE FROM {name}",
                f"UPDATE {name} SET action = 'x'",
                f"DROP TABLE {name}",
            ):
                message = _refused(statement)
                assert "permission denied" in message or "must be owner" in message, statement


def test_update_and_delete_through_django_are_refused_as_the_application_role(officer):
    entry = record("test.operation", actor=officer)
    with as_app_role():
        with pytest.raises(ProgrammingError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
        with pytest.raises(ProgrammingError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.operation"


def test_even_the_owner_is_refused_by_the_triggers(officer):
    """The login role owns the tables (a superuser in development): the triggers still refuse, on parent
    and partitions."""
    entry = record("test.operation", actor=officer)
    for partition in list_partitions():
        make_entry(at=partition.range_from, actor=officer)
    with as_login_role():
        _owner_is_refused(entry)


def _owner_is_refused(entry):
    assert "append-only" in _refused("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    assert "append-only" in _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert "append-only" in _refused("TRUNCATE audit_auditentry")
    for partition in list_partitions():
        assert "append-only" in _refused(f"UPDATE {partition.name} SET action = 'x'")
        assert "append-only" in _refused(f"DELETE FROM {partition.name}")
        assert "append-only" in _refused(f"TRUNCATE {partition.name}")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.operation"


def test_model_instances_refuse_to_be_saved_again_or_deleted(officer):
    entry = record("test.operation", actor=officer)
    entry = AuditEntry.objects.get(pk=entry.pk)
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def _one_row_in_each_chain_table():
    now = timezone.now()
    AuditBlock(
        number=1,
        month=now.date(),
        txid_lo=0,
        txid_hi=1,
        entry_count=0,
        prev_hash="0" * 64,
        block_hash="1" * 64,
        sealed_at=now,
    ).save()
    AuditVerification(started_at=now, finished_at=now, trigger="test", ok=True).save()
    AuditHeadExport(day=now.date(), block_number=1, block_hash="1" * 64, file_path="-", exported_at=now).save()
    AuditPartitionDrop(
        partition="p",
        month=now.date(),
        range_from=now,
        range_to=now,
        row_count=0,
        verified=True,
        retention_years=3,
        dropped_at=now,
    ).save()


def test_the_chain_tables_are_append_only_too():
    _one_row_in_each_chain_table()
    for table in ("audit_auditblock", "audit_auditverification", "audit_auditheadexport", "audit_auditpartitiondrop"):
        with as_login_role():
            assert "append-only" in _refused(
                f"UPDATE {table} SET {'number' if table == 'audit_auditblock' else 'id'} = 0"
            )
            assert "append-only" in _refused(f"DELETE FROM {table}")
            assert "append-only" in _refused(f"TRUNCATE {table}")
        with as_app_role():
            assert "permission denied" in _refused(f"DELETE FROM {table}")


def test_txid_is_set_by_the_database_not_by_the_caller(officer):
    entry = make_entry(actor=officer, txid=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT txid, pg_current_xact_id()::text::bigint FROM audit_auditentry WHERE id = %s", [entry.pk]
        )
        txid, current = cursor.fetchone()
    assert txid == current != 1
