"""A3: `manage.py verify_audit` re-computes the chain and names every entry a superuser altered,
deleted or inserted; the daily head kept outside the database reveals a rewrite of the whole chain."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditBlock, AuditEntry, AuditVerification
from audit.services import record
from audit.services.chain import seal
from audit.services.heads import export_head
from audit.services.verification import check_chain
from portal.models import Notification
from tests.audit.conftest import rewrite_whole_chain, superuser_without_triggers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealed_log(officer, staff):
    entries = [
        record("catalog.entry.update", actor=officer, target=officer.department, detail={"n": i}) for i in range(4)
    ]
    entries += [record("sharing.grant.query", actor=staff, detail={"n": i}) for i in range(4)]
    seal()
    return entries


def _verify():
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
        return 0, out.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue()


def test_an_untouched_log_verifies(sealed_log):
    code, out = _verify()
    assert code == 0, out
    assert "校验通过" in out
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.entries_checked == len(sealed_log)
    assert AuditEntry.objects.filter(action="audit.verify", outcome="success").exists()


def test_an_altered_entry_is_named(sealed_log):
    victim = sealed_log[2]
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'someone_else' WHERE id = %s", [victim.pk])
    code, out = _verify()
    assert code == 1
    assert f"ALTERED 被篡改: entry {victim.pk}" in out
    verification = AuditVerification.objects.latest("started_at")
    assert not verification.ok and verification.altered_ids == [victim.pk]
    assert verification.removed_ids == [] and verification.inserted_ids == []


def test_a_deleted_entry_is_named(sealed_log):
    victim = sealed_log[5]
    with superuser_without_triggers() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    code, out = _verify()
    assert code == 1
    assert f"REMOVED 被删除: entry {victim.pk}" in out
    assert AuditVerification.objects.latest("started_at").removed_ids == [victim.pk]


def test_an_entry_inserted_into_the_sealed_past_is_named(sealed_log):
    block = AuditBlock.objects.get()
    with superuser_without_triggers() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (occurred_at, actor_username, actor_name, department_name, role, action, "
            "object_type, object_id, object_repr, outcome, request_id, detail, txid) "
            "SELECT occurred_at, 'framed', '', '', '', 'sharing.grant.pull', '', '', '', 'success', '', '{}', %s "
            "FROM audit_auditentry WHERE id = %s RETURNING id",
            [block.txid_lo, sealed_log[0].pk],
        )
        forged = cursor.fetchone()[0]
    code, out = _verify()
    assert code == 1
    assert f"INSERTED 被插入: entry {forged}" in out
    assert AuditVerification.objects.latest("started_at").inserted_ids == [forged]


def test_a_failed_verification_alerts_the_auditors(sealed_log, auditor):
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET outcome = 'denied' WHERE id = %s", [sealed_log[0].pk])
    _verify()
    note = Notification.objects.get(user=auditor, kind="audit.alert")
    assert "完整性校验未通过" in note.title
    assert AuditEntry.objects.filter(action="audit.verify", outcome="failure").exists()


def test_rewriting_the_whole_chain_is_caught_by_the_daily_head(sealed_log):
    export_head()
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'catalog.entry.view' WHERE id = %s", [sealed_log[1].pk])
        rewrite_whole_chain(cursor)
    report = check_chain()
    assert not report.altered and not report.block_problems  # the forgery is self-consistent...
    assert report.head_problems  # ...but not with the head the auditors keep
    code, out = _verify()
    assert code == 1 and "HEAD 链头" in out and "链被重写" in out


def test_a_tampered_block_row_is_reported(sealed_log):
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditblock SET entry_count = entry_count + 1 WHERE number = 1")
    report = check_chain()
    assert report.block_problems and not report.ok


def test_unsealed_entries_are_counted_not_flagged(sealed_log, officer):
    record("test.later", actor=officer)
    report = check_chain()
    assert report.ok and report.unsealed_entries == 1
