"""Periodic jobs of the audit log: thin wrappers around the services (schedule in audit/schedule.py)."""

from celery import shared_task


@shared_task(acks_late=True)
def create_partitions() -> list[str]:
    """Monthly partitions ahead of time (A2)."""
    from audit.services.partitions import ensure_partitions

    return ensure_partitions()


@shared_task(acks_late=True)
def seal() -> int:
    """Seal final entries into hash-chained blocks (A3); returns the number of new blocks."""
    from audit.services.chain import seal as seal_entries

    return len(seal_entries())


@shared_task(acks_late=True)
def export_head() -> int:
    """Record the day's head of the chain outside the database and tell the auditors (A3)."""
    from audit.services.heads import export_head as export

    return export().block_number


@shared_task(acks_late=True)
def verify() -> bool:
    """Verify the whole chain and store the result (A3)."""
    from audit.services.verification import verify_chain

    verification, _report = verify_chain(trigger="schedule")
    return verification.ok


@shared_task(acks_late=True)
def apply_retention() -> list[str]:
    """Drop monthly partitions older than the retention (A2)."""
    from audit.services.retention import apply_retention as apply

    return [drop.partition for drop in apply()]


@shared_task(acks_late=True)
def monthly_usage_summary() -> int:
    """Last month's usage figures per department, for the monthly notification (A5)."""
    from audit.services.usage import usage_summaries_build, usage_summaries_send

    summaries = usage_summaries_build()
    usage_summaries_send(summaries)
    return len(summaries)


@shared_task(acks_late=True)
def run_verification_job(job_id: int) -> bool | None:
    """立即校验: the auditor's on-demand verification (audit.services.verification_jobs)."""
    from audit.services.verification_jobs import verification_run

    job = verification_run(job_id=job_id)
    return None if job is None else job.status == job.Status.DONE
