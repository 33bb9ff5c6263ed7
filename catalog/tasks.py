"""Celery tasks of the catalog: thin wrappers around services."""

from celery import shared_task

from catalog.services import duties, imports, loads


@shared_task(acks_late=True)
def run_load(load_id: int) -> str | None:
    load = loads.load_run(load_id=load_id)
    return load.status if load else None


@shared_task
def resume_loads(older_than_seconds: int | None = None) -> int:
    """Loads whose task was lost with a killed worker (safe to run twice at once)."""
    return loads.loads_resume(older_than_seconds=older_than_seconds)


@shared_task(acks_late=True)
def run_import(import_id: int) -> str | None:
    """A large catalog import (SECURITY.md 14.7), in one transaction."""
    job = imports.import_run(import_id=import_id)
    return job.status if job else None


@shared_task
def resume_imports(older_than_seconds: int | None = None) -> int:
    """Imports whose task was lost (safe to run twice at once: the import's row is locked)."""
    return imports.imports_resume(older_than_seconds=older_than_seconds)


@shared_task
def sweep_update_duties() -> dict:
    return duties.sweep_update_duties()


@shared_task
def flag_unmaintained() -> int:
    return duties.flag_unmaintained()
