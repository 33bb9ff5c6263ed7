"""Uploaded files to publish (Lhasa art. 29, ways 1 and 4: a department uploads a dataset itself).

The file's header names the items; every item is kept as text. The rows are checked and copied
into a datastore table by the datastore's loader (COPY), all or nothing, in one transaction.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from catalog import datastore
from catalog.datastore.readers import FileRejected, open_source
from openness.conf import setting
from openness.models import Upload
from portal.errors import DomainError
from portal.models import Department, User
from portal.permissions import require
from protection.encryption import files

PUBLISH = "portal.publish_open_data"
EXTENSIONS = {".csv", ".xlsx"}


def upload_max_bytes() -> int:
    """The largest open-data file accepted (OPEN_DATA["UPLOAD_MAX_BYTES"]); the request guard's limit
    for uploads is at least this (portal.uploads)."""
    return int(setting("UPLOAD_MAX_BYTES"))


def _header(path: str, filename: str) -> list[str]:
    try:
        with open_source(path, filename) as source:
            for _line, cells in source.rows:
                cells = ["" if c is None else str(c).strip() for c in cells]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    return cells
    except FileRejected as exc:
        raise DomainError(exc.reason, code="bad_file") from None
    raise DomainError(_("文件没有表头（第一行应为各列名称）。"), code="bad_file")


def columns_from_header(header: list[str]) -> list[datastore.Column]:
    """One text column per header cell: its key is the header when that is a plain identifier, else c<n>."""
    if len(header) > datastore.limit("MAX_COLUMNS"):
        raise DomainError(_("列数超过上限。"), code="bad_file")
    names, keys, columns = set(), set(), []
    for position, name in enumerate(header, start=1):
        if not name:
            raise DomainError(_("第 %(n)d 列的表头为空。") % {"n": position}, code="bad_file")
        if name in names:
            raise DomainError(_("表头「%(n)s」重复。") % {"n": name[:50]}, code="bad_file")
        key = name.lower() if datastore.is_identifier(name.lower()) and name.lower() != "_row" else f"c{position}"
        if key in keys:
            key = f"c{position}"
        names.add(name)
        keys.add(key)
        columns.append(datastore.Column(key=key, name=name[:100], type="string"))
    return columns


def upload_create(*, actor: User, department: Department, upload: File) -> Upload:
    """Store an uploaded CSV or XLSX file's rows as a table of text columns for a proposal."""
    require(actor, PUBLISH, department)
    filename = os.path.basename(getattr(upload, "name", "") or "")[:200]
    extension = Path(filename).suffix.lower()
    if extension not in EXTENSIONS:
        raise DomainError(_("只支持 CSV（UTF-8 或 GBK 编码）和 XLSX 文件。"), code="bad_file_type")
    if upload.size > setting("UPLOAD_MAX_BYTES"):
        raise DomainError(
            _("文件超过大小上限（%(n)d MB）。") % {"n": setting("UPLOAD_MAX_BYTES") // (1024 * 1024)},
            code="file_too_large",
        )
    # encrypted on disk from receipt, removed once loaded (SECURITY.md "Encryption at rest")
    handle, path = tempfile.mkstemp(prefix="open-upload-", suffix=extension + ".enc")
    os.close(handle)
    try:
        files.store(upload, path)
        with files.plaintext(path) as plain:
            columns = columns_from_header(_header(plain, filename))
            with transaction.atomic():
                stored = Upload.objects.create(
                    department=department,
                    filename=filename,
                    created_by=actor,
                    columns=[c.__dict__ for c in columns],
                    table_name="",
                )
                stored.table_name = f"ou_{stored.pk}"
                result = datastore.load_file(plain, filename=filename, columns=columns, table=stored.table_name)
                if not result.ok:
                    messages = [e.message for e in result.errors[:10]]
                    raise DomainError(
                        messages[0] if messages else _("文件无法读取。"), code="bad_file", errors={"file": messages}
                    )
                stored.row_count = result.row_count
                stored.save(update_fields=["table_name", "row_count"])
                record(
                    "openness.upload.create",
                    actor=actor,
                    target=stored,
                    detail={
                        "filename": filename,
                        "rows": stored.row_count,
                        "size": upload.size,
                        "provider_department_id": department.pk,
                    },
                )
            return stored
    finally:
        files.remove(path)
