"""立即校验: the auditor verifies the chain now, as a Celery job whose row the page polls (issue 19, part 8).

Lhasa art. 39 and 43: the auditor checks that the log is intact whenever they choose, not only after
the nightly run. The run is verification.verify_chain() itself (the same check, the same stored
AuditVerification, the same alert on failure); this module only queues it and keeps its state.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditBlock, Outcome, VerificationJob
from audit.services import record
from portal.permissions import require
from portal.queue import enqueue_after_commit

# A job still queued after this long lost its message (broker down, worker restarted): a new one may start.
STALE_AFTER = dt.timedelta(minutes=10)
TASK = "audit.tasks.run_verification_job"


def verification_start(*, actor) -> VerificationJob:
    """Queue a verification of the whole chain; a job already open (and not stale) is returned instead,
    so a double click or two auditors at once run it once."""
    require(actor, "audit.view_auditentry")
    with transaction.atomic():
        open_job = (
            VerificationJob.objects.select_for_update()
            .filter(
                status__in=(VerificationJob.Status.QUEUED, VerificationJob.Status.RUNNING),
                created_at__gte=timezone.now() - STALE_AFTER,
            )
            .order_by("-created_at")
            .first()
        )
        if open_job is not None:
            return open_job
        job = VerificationJob.objects.create(
            requested_by_id=actor.pk,
            requested_by_name=(getattr(actor, "real_name", "") or actor.username)[:150],
            blocks_total=AuditBlock.objects.count(),
            created_at=timezone.now(),
        )
        record("audit.verify.start", actor=actor, target=job, detail={"blocks": job.blocks_total})
        enqueue_after_commit(TASK, job.pk)
    return job


def verification_run(*, job_id: int) -> VerificationJob | None:
    """The job's body (audit.tasks.run_verification_job): safe to run twice, the second finds it taken."""
    from audit.services.verification import verify_chain

    with transaction.atomic():
        job = VerificationJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.status != VerificationJob.Status.QUEUED:
            return job
        job.status, job.started_at = VerificationJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    try:
        verification, _report = verify_chain(trigger="auditor")
    except Exception as exc:  # the run broke (database gone mid-way): the page says so, the log too
        with transaction.atomic():
            job.status, job.finished_at = VerificationJob.Status.FAILED, timezone.now()
            job.error = (_("校验未能完成：%(error)s") % {"error": type(exc).__name__})[:300]
            job.save(update_fields=["status", "finished_at", "error"])
            record("audit.verify", target=job, outcome=Outcome.FAILURE, detail={"error": type(exc).__name__})
        raise
    job.status, job.finished_at, job.verification_id = VerificationJob.Status.DONE, timezone.now(), verification.pk
    job.save(update_fields=["status", "finished_at", "verification_id"])
    return job
