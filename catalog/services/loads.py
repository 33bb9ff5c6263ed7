"""Data loading (数据归集, docs/features.md C7; Sixian art. 20-23): a department loads a resource's rows.

A load is all-or-nothing: the rows are checked against the data items and copied into a new
typed table in one transaction; any rejected row leaves no table and no data version. Small
files load during the request; larger ones in a Celery task, with progress in the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Outcome
from audit.services import record
from catalog import datastore
from catalog.models import DataLoad, ResourceEntry
from portal.errors import DomainError, InvalidTransitionError
from portal.models import User
from portal.permissions import require
from protection.encryption import files
from protection.encryption.keys import EncryptionError

ALLOWED_EXTENSIONS = {".csv", ".xlsx"}


def _limits() -> dict:
    return {
        "max_bytes": 200 * 1024 * 1024,
        "sync_bytes": 1024 * 1024,
        "resume_after_seconds": 300,
        **getattr(settings, "CATALOG_LOADS", {}),
    }


def upload_max_bytes() -> int:
    """The largest data file a load accepts (CATALOG_LOADS["max_bytes"]); the request guard's limit
    for uploads is at least this (portal.uploads)."""
    return int(_limits()["max_bytes"])


def progress_key(load_id: int) -> str:
    return f"catalog:load:{load_id}:progress"


def columns_for(version) -> list[datastore.Column]:
    """The version's items as datastore columns; sensitive ones (protection.grading: level >= 3 by
    default) are stored encrypted (Tongren art. 22 加密存储; SECURITY.md "Encryption at rest")."""
    from protection.encryption.services import encrypts_sensitive_items
    from protection.grading.services import is_sensitive

    encrypt = encrypts_sensitive_items()
    return [
        datastore.Column(
            key=i.key,
            name=i.name,
            type=i.type,
            length=i.length,
            required=i.required,
            encrypted=encrypt and is_sensitive(i),
        )
        for i in version.items.all().order_by("position")
    ]


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "loads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_start(*, actor: User, entry: ResourceEntry, upload) -> DataLoad:
    """Store the upload and queue (or run) its load. The file is streamed to disk, never held in memory."""
    entry = ResourceEntry.objects.select_related("department", "working_version", "published_version").get(pk=entry.pk)
    require(actor, "portal.maintain_catalog", entry.department)
    # Rows follow the approved catalog: a published entry loads against its published version, so a
    # revision under review (new or renamed items) never shapes the data grants and open data read;
    # an entry never published yet loads against its draft.
    version = entry.published_version or entry.working_version
    if version is None or not version.items.exists():
        raise DomainError(_("请先为资源登记信息项，再归集数据。"), code="no_items")
    if entry.is_withdrawn:
        raise InvalidTransitionError(_("已撤销的资源不能归集数据。"))
    name = os.path.basename(upload.name or "")[:200]
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(_("只支持 CSV（UTF-8 或 GBK 编码）和 XLSX 文件。"), code="bad_file_type")
    limits = _limits()
    if upload.size > limits["max_bytes"]:
        raise DomainError(
            _("文件超过大小上限（%(n)d MB）。") % {"n": limits["max_bytes"] // (1024 * 1024)}, code="file_too_large"
        )
    # encrypted on disk from receipt (SECURITY.md "Encryption at rest"), removed once loaded
    path = upload_dir() / f"{uuid.uuid4().hex}{extension}.enc"
    files.store(upload, path)
    with transaction.atomic():
        load = DataLoad.objects.create(
            entry=entry,
            entry_version=version,
            filename=name,
            file_path=str(path),
            file_size=upload.size,
            created_by=actor,
            columns=[c.__dict__ for c in columns_for(version)],
        )
        record(
            "catalog.load.start",
            actor=actor,
            target=entry,
            detail={"load": load.pk, "filename": name, "size": upload.size},
        )
    if upload.size <= limits["sync_bytes"]:
        load_run(load_id=load.pk)
        load.refresh_from_db()
    else:
        from portal.queue import enqueue_after_commit

        enqueue_after_commit("catalog.tasks.run_load", load.pk)  # lost with the broker down: catalog.tasks.resume_loads
    return load


def load_run(*, load_id: int) -> DataLoad | None:
    """Run a pending load once. The load row stays locked for the whole load, so a second worker
    skips it; if the worker dies, the transaction (and any half-made table) rolls back and the
    load is still pending for the re-delivered task."""
    with transaction.atomic():
        load = (
            DataLoad.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("entry", "entry_version")
            .filter(pk=load_id, status=DataLoad.Status.PENDING)
            .first()
        )
        if load is None:
            return None
        ResourceEntry.objects.select_for_update().filter(pk=load.entry_id).first()  # one load per resource at a time
        number = (DataLoad.objects.filter(entry_id=load.entry_id).aggregate(n=Max("data_version"))["n"] or 0) + 1
        table = f"r{load.entry_id}_v{number}"
        columns = [datastore.Column(**c) for c in load.columns]
        key = progress_key(load.pk)

        def progress(rows: int) -> None:
            cache.set(key, rows, timeout=3600)

        try:
            with files.plaintext(load.file_path) as plain:  # an unlinked temporary file only
                result = datastore.load_file(
                    plain, filename=load.filename, columns=columns, table=table, progress=progress
                )
        except (OSError, ValueError, EncryptionError) as exc:
            result = datastore.LoadResult(
                ok=False,
                table=None,
                row_count=0,
                error_count=1,
                encoding=None,
                errors=[datastore.RowError(line=0, column=None, value=None, message=str(exc)[:300])],
            )
        load.finished_at = timezone.now()
        load.encoding = result.encoding or ""
        if result.ok:
            load.status, load.data_version, load.table_name = DataLoad.Status.SUCCEEDED, number, table
            load.row_count = result.row_count
            load.message = _("已归集 %(n)d 行，数据版本 %(v)d。") % {"n": result.row_count, "v": number}
        else:
            load.status = DataLoad.Status.FAILED
            load.error_count = result.error_count
            load.errors = [
                {"line": e.line, "column": e.column, "value": (e.value or "")[:100], "message": e.message}
                for e in result.errors
            ]
            # SECURITY.md 14.21: every line named is a line of the file, as the personal-data check names them
            load.message = _("有 %(n)d 处错误，数据未归集。行号为文件中的行号（表头为第 1 行）。") % {
                "n": result.error_count
            }
        load.save()
        record(
            "catalog.load.finish",
            actor=load.created_by,
            target=load.entry,
            outcome=Outcome.SUCCESS if result.ok else Outcome.FAILURE,
            detail={
                "load": load.pk,
                "rows": load.row_count,
                "errors": load.error_count,
                "data_version": load.data_version,
            },
        )
        path = load.file_path
    _remove_file(path)
    cache.delete(progress_key(load_id))
    return load


def loads_resume(*, older_than_seconds: int | None = None, batch: int = 20) -> int:
    """Run the loads still pending some minutes after they were queued: their task was lost with a
    killed worker (the broker re-delivers an unacknowledged task only after its visibility timeout, an
    hour). load_run() skips a load that a worker is running now (its row is locked), and a queued task
    that arrives later finds the load done: each load runs once. Returns the loads finished here."""
    seconds = _limits()["resume_after_seconds"] if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    pending = (
        DataLoad.objects.filter(status=DataLoad.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(1 for pk in list(pending) if load_run(load_id=pk) is not None)


def _remove_file(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


@transaction.atomic
def load_remove(*, actor: User, load: DataLoad) -> DataLoad:
    """A bureau admin removes an older data version: its table is dropped, its record kept."""
    load = DataLoad.objects.select_for_update().select_related("entry").get(pk=load.pk)
    require(actor, "catalog.delete_dataload", load.entry)
    if load.status != DataLoad.Status.SUCCEEDED:
        raise InvalidTransitionError(_("只能删除成功归集的数据版本。"))
    latest = DataLoad.objects.filter(entry_id=load.entry_id, status=DataLoad.Status.SUCCEEDED).aggregate(
        n=Max("data_version")
    )["n"]
    if load.data_version == latest:
        raise InvalidTransitionError(_("不能删除当前最新的数据版本。"))
    datastore.drop_table(load.table_name)
    load.status, load.removed_at, load.removed_by = DataLoad.Status.REMOVED, timezone.now(), actor
    load.save(update_fields=["status", "removed_at", "removed_by"])
    record(
        "catalog.load.remove",
        actor=actor,
        target=load.entry,
        detail={"load": load.pk, "data_version": load.data_version},
    )
    return load


def latest_load(entry: ResourceEntry) -> DataLoad | None:
    return entry.loads.filter(status=DataLoad.Status.SUCCEEDED).order_by("-data_version").first()


def masked_for(actor: User, entry: ResourceEntry, columns) -> set[str]:
    """The keys of `columns` that `actor` sees masked in the catalog's own views of the rows (the
    entry page's preview, the rows API): none for the owning department, nor for a department whose
    live grant already shows every item in clear (catalog.selectors.row_access_checks()); for anyone
    else allowed to see rows (the bureau) the items flagged sensitive in the entry's versions."""
    from catalog.models import DataItem
    from catalog.selectors import row_access_checks

    if getattr(actor, "department_id", None) == entry.department_id or any(
        check(actor, entry) for check in row_access_checks()
    ):
        return set()
    versions = [v for v in (entry.published_version_id, entry.working_version_id) if v]
    sensitive = set(DataItem.objects.filter(version_id__in=versions, sensitive=True).values_list("key", flat=True))
    return {c.key for c in columns} & sensitive


def row_preview(*, actor: User, entry: ResourceEntry, load: DataLoad, limit: int = 20) -> tuple[list[dict], set[str]]:
    """The first rows of a load for the entry's page, sensitive items masked as masked_for() says,
    recorded as a read of row data (A1; the providing department sees it in its usage log, A5).
    Returns the rows and the keys of the masked items."""
    columns = [datastore.Column(**c) for c in load.columns]
    masked = masked_for(actor, entry, columns)
    rows = datastore.preview(load.table_name, columns, limit=limit, masked=masked)
    record(
        "catalog.rows.preview",
        actor=actor,
        target=entry,
        detail={"load": load.pk, "data_version": load.data_version, "rows": len(rows), "masked": sorted(masked)},
    )
    return rows, masked
