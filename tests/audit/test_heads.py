"""A3: the head of the chain is recorded outside the database every day — a file the auditors keep and
a notification to each of them — so that a rewrite of the whole chain is found."""

import pytest
from django.utils import timezone

from audit import tasks
from audit.models import AuditBlock, AuditEntry, AuditHeadExport
from audit.services import record
from audit.services.heads import export_head, head_file, read_heads
from audit.services.verification import check_chain
from portal.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_head_goes_to_the_file_and_to_every_auditor(officer, auditor, make_user):
    from portal.roles import Role

    second_auditor = make_user(Role.AUDITOR)
    record("test.operation", actor=officer)
    export = export_head()
    head = AuditBlock.objects.order_by("-number").first()
    assert export.block_number == head.number and export.block_hash == head.block_hash
    heads = read_heads()
    assert [(h.day, h.block_number, h.block_hash) for h in heads] == [
        (timezone.localdate(), head.number, head.block_hash)
    ]
    for user in (auditor, second_auditor):
        note = Notification.objects.get(user=user, key=f"audit.chain_head:{timezone.localdate().isoformat()}")
        assert head.block_hash in note.body
    assert export.notified == 2
    assert AuditEntry.objects.filter(action="audit.head.export").exists()


def test_once_a_day_whatever_happens(officer):
    record("test.operation", actor=officer)
    first = export_head()
    record("test.operation", actor=officer)
    assert export_head().pk == first.pk
    assert len(read_heads()) == 1 and AuditHeadExport.objects.count() == 1


def test_the_task_runs_the_service(officer):
    record("test.operation", actor=officer)
    assert tasks.export_head() == AuditBlock.objects.order_by("-number").first().number
    assert head_file().exists()


def test_a_missing_head_file_is_reported_once_blocks_are_old(officer):
    record("test.operation", actor=officer)
    export_head()
    head_file().unlink()
    assert check_chain().ok  # blocks sealed today: the first head may not be written yet
    from tests.audit.conftest import superuser_without_triggers

    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditblock SET sealed_at = sealed_at - interval '3 days'")
    assert check_chain().head_problems
