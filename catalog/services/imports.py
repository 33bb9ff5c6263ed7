"""Importing catalog entries from a workbook (docs/features.md C6; Lhasa art. 7: departments maintain their entries).

SECURITY.md 14.7: the import read every row of any workbook in the web request, with no zip-bomb guard (a
40 KB file unpacking to 10 MB took 9-12 s). Now:
- the upload is streamed to disk and checked as an archive before anything is unpacked
  (catalog.exchange_import, settings CATALOG_IMPORT: packed and unpacked size, rows per sheet);
- a small workbook (unpacked size and resource rows under SYNC_UNCOMPRESSED_BYTES and SYNC_ROWS) is
  imported during the request, a larger one by a Celery job whose progress the import's page shows
  and GET /api/catalog/imports/<id>/ gives;
- either way the import is one transaction, as load_run() does it: each valid row becomes a draft
  entry, each invalid row is refused with its reasons, and all of it commits together. A worker that
  dies mid-import leaves nothing (the import stays pending and catalog.tasks.resume_imports runs it
  again); a workbook refused as a whole (too many rows, damaged) creates no entry.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Outcome
from audit.services import record
from catalog import exchange_import
from catalog.models import CatalogImport
from portal.errors import DomainError
from portal.models import Department, User
from portal.permissions import can, require

MAINTAIN = "portal.maintain_catalog"
PROGRESS_EVERY = 20


def progress_key(import_id: int) -> str:
    return f"catalog:import:{import_id}:progress"


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def import_start(*, actor: User, department: Department, upload: File) -> CatalogImport:
    """Store the workbook, check it, and import it now (small) or queue its job (large)."""
    require(actor, MAINTAIN, department)
    limits = exchange_import.limits()
    name = os.path.basename(getattr(upload, "name", "") or "")[:200]
    if Path(name).suffix.lower() != ".xlsx":
        raise exchange_import.refused(_("请上传导出的 Excel 模板（.xlsx 文件）。"))
    if upload.size > limits["MAX_BYTES"]:
        raise exchange_import.refused(_("文件超过大小上限（%(n)d MB）。") % {"n": limits["MAX_BYTES"] // (1024 * 1024)})
    path = _upload_dir() / f"{uuid.uuid4().hex}.xlsx"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        unpacked = exchange_import.unpacked_size(path)  # the zip-bomb guard, before anything is unpacked
        background = unpacked > limits["SYNC_UNCOMPRESSED_BYTES"]
        if not background:
            with exchange_import.Workbook(path) as workbook:
                background = workbook.count_entry_rows(stop_after=limits["SYNC_ROWS"]) > limits["SYNC_ROWS"]
    except DomainError as error:
        _remove(str(path))
        record(
            "catalog.import.refuse",
            actor=actor,
            target=department,
            outcome=Outcome.FAILURE,
            detail={"filename": name, "size": upload.size, "reason": str(error.message)[:200]},
        )
        raise
    with transaction.atomic():
        job = CatalogImport.objects.create(
            department=department,
            created_by=actor,
            filename=name,
            file_path=str(path),
            file_size=upload.size,
            unpacked_size=unpacked,
            in_background=background,
        )
        record(
            "catalog.import.start",
            actor=actor,
            target=job,
            detail={"filename": name, "size": upload.size, "unpacked": unpacked, "background": background},
        )
        if background:
            from portal.queue import enqueue_after_commit

            enqueue_after_commit(
                "catalog.tasks.run_import", job.pk
            )  # lost with the broker down: catalog.tasks.resume_imports
    if not background:
        import_run(import_id=job.pk)
        job.refresh_from_db()
    return job


def import_run(*, import_id: int) -> CatalogImport | None:
    """Run a pending import once, in one transaction. The import's row stays locked throughout, so a
    second worker skips it; a refusal of the whole workbook rolls back every entry it created."""
    from catalog.services.entries import entry_create

    with transaction.atomic():
        job = (
            CatalogImport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("department", "created_by")
            .filter(pk=import_id, status=CatalogImport.Status.PENDING)
            .first()
        )
        if job is None:
            return None
        key = progress_key(job.pk)
        created, refused, rows = [], [], 0
        try:
            with transaction.atomic(), exchange_import.Workbook(job.file_path) as workbook:
                require(job.created_by, MAINTAIN, job.department)  # still allowed when the job runs
                items = workbook.items_by_name()
                for line, row in workbook.entry_rows():
                    rows += 1
                    parsed = exchange_import.parse_row(line, row, items)
                    name = parsed.content.get("name", "")
                    if parsed.errors:
                        refused.append({"line": line, "name": name, "reasons": parsed.errors})
                    else:
                        try:
                            with transaction.atomic():
                                entry = entry_create(
                                    actor=job.created_by,
                                    department=job.department,
                                    content=parsed.content,
                                    items=parsed.items,
                                )
                            created.append({"line": line, "code": entry.code, "name": name})
                        except DomainError as error:
                            reasons = [m for ms in error.errors.values() for m in ms] or [str(error.message)]
                            refused.append({"line": line, "name": name, "reasons": [str(r) for r in reasons]})
                        except (DataError, IntegrityError):  # the row's savepoint is rolled back, the rest goes on
                            refused.append({"line": line, "name": name, "reasons": [_("数据库拒绝了该行的内容。")]})
                    if rows % PROGRESS_EVERY == 0:
                        cache.set(key, rows, timeout=3600)
        except (DomainError, OSError) as error:
            message = str(getattr(error, "message", "")) or _("文件无法读取。")
            job.status, job.message = CatalogImport.Status.FAILED, message[:500]
            job.created, job.refused = [], []
        else:
            job.status = CatalogImport.Status.SUCCEEDED
            job.created, job.refused = created, refused
            job.message = _("导入完成：新建 %(c)d 条，拒绝 %(r)d 条。行号为工作表中的行号（表头为第 1 行）。") % {
                "c": len(created),
                "r": len(refused),
            }
        job.rows, job.finished_at = rows, timezone.now()
        job.save(update_fields=["status", "message", "created", "refused", "rows", "finished_at"])
        record(
            "catalog.import.finish",
            actor=job.created_by,
            target=job,
            outcome=Outcome.SUCCESS if job.status == CatalogImport.Status.SUCCEEDED else Outcome.FAILURE,
            detail={
                "rows": rows,
                "created": len(job.created),
                "refused": len(job.refused),
                "background": job.in_background,
            },
        )
        path = job.file_path
    _remove(path)
    cache.delete(progress_key(import_id))
    return job


def imports_resume(*, older_than_seconds: int | None = None, batch: int = 5) -> int:
    """Run the imports still pending some minutes after they were queued (their task was lost with a
    killed worker or a broker outage); import_run() skips one a worker holds. Returns those finished here."""
    seconds = exchange_import.limits()["RESUME_AFTER_SECONDS"] if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    pending = (
        CatalogImport.objects.filter(status=CatalogImport.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(1 for pk in list(pending) if import_run(import_id=pk) is not None)


def import_progress(job: CatalogImport) -> int | None:
    """Rows read so far by a running job (None when it has not started or is done)."""
    return cache.get(progress_key(job.pk)) if job.status == CatalogImport.Status.PENDING else None


def may_see_import(user: User, job: CatalogImport) -> bool:
    """The one who imported, and whoever maintains the department's catalog, see an import."""
    return job.created_by_id == getattr(user, "pk", None) or can(user, MAINTAIN, job.department)
