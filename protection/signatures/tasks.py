"""Celery tasks of the signatures app: thin wrappers around the sealing services (idempotent)."""

from celery import shared_task

from protection.signatures.services import roots


@shared_task
def seal_receipts() -> int:
    return len(roots.seal_receipts())


@shared_task
def seal_day() -> int | None:
    root = roots.seal_day()
    return root.number if root is not None else None
