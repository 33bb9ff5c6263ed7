"""Issue 19 part 8: 立即校验 runs the chain verification as a Celery job (its row polled by the page) and a
failed verification opens to what failed: each entry with the digest sealed and the one found (Lhasa art. 43)."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry, AuditVerification, VerificationJob
from audit.services import record
from audit.services.chain import seal
from audit.tasks import run_verification_job
from tests.audit.conftest import superuser_without_triggers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealed(officer):
    entries = [record("catalog.entry.update", actor=officer, detail={"n": i}) for i in range(3)]
    seal()
    return entries


def test_the_auditor_starts_a_job_the_task_runs_it_and_the_page_shows_the_result(client, auditor, sealed):
    client.force_login(auditor)
    response = client.post(reverse("audit:verify_start"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = VerificationJob.objects.get()
    assert job.status == "queued" and job.requested_by_id == auditor.pk
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert AuditEntry.objects.filter(action="audit.verify.start", actor_id=auditor.pk, object_id=str(job.pk)).exists()
    # a second click while it is open starts nothing new
    client.post(reverse("audit:verify_start"), HTTP_HX_REQUEST="true")
    assert VerificationJob.objects.count() == 1

    assert run_verification_job(job.pk) is True
    assert run_verification_job(job.pk) is True  # run twice: the second finds it done
    job.refresh_from_db()
    verification = AuditVerification.objects.get(pk=job.verification_id)
    assert job.status == "done" and verification.ok and verification.trigger == "auditor"
    poll = client.get(reverse("audit:verify_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in poll and 'data-status="done"' in poll and "通过" in poll
    assert reverse("audit:verification", args=[verification.pk]) in poll


def test_a_failed_verification_opens_to_the_altered_and_removed_entries(client, auditor, sealed):
    altered, removed = sealed[0], sealed[1]
    before = {}
    with superuser_without_triggers() as cursor:
        from audit.services.canonical import ENTRY_DIGEST_SQL

        cursor.execute(f"SELECT {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE id = %s", [altered.pk])
        before["sealed"] = bytes(cursor.fetchone()[0]).hex()
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'forged' WHERE id = %s", [altered.pk])
        cursor.execute(f"SELECT {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE id = %s", [altered.pk])
        before["now"] = bytes(cursor.fetchone()[0]).hex()
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])
    client.force_login(auditor)
    client.post(reverse("audit:verify_start"))
    job = VerificationJob.objects.get()
    assert run_verification_job(job.pk) is True
    job.refresh_from_db()
    integrity = client.get(reverse("audit:integrity")).content.decode()
    assert reverse("audit:verification", args=[job.verification_id]) in integrity
    page = client.get(reverse("audit:verification", args=[job.verification_id])).content.decode()
    assert 'data-testid="verification-failed"' in page
    row = re.search(rf'<tr data-finding="altered:{altered.pk}">(.*?)</tr>', page, re.S).group(1)
    assert before["sealed"] in row and before["now"] in row and before["sealed"] != before["now"]
    row = re.search(rf'<tr data-finding="removed:{removed.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "（记录已不存在）" in row
    assert AuditEntry.objects.filter(action="audit.verify", outcome="failure").exists()


def test_only_the_auditor_starts_a_verification(client, bureau_admin, sealed):
    client.force_login(bureau_admin)
    assert client.post(reverse("audit:verify_start")).status_code == 403
    assert not VerificationJob.objects.exists()
    assert client.get(reverse("audit:integrity")).status_code == 200
    assert 'data-testid="verify-now"' not in client.get(reverse("audit:integrity")).content.decode()
