"""Export of the audit log as CSV and Excel (A4; Lhasa art. 39 and 41). The export itself is audited.

CSV streams from a server-side cursor with constant memory; Excel is written in openpyxl's
write-only mode to a temporary file. Cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Outcome
from audit.services import record
from portal.errors import DomainError
from portal.models import User
from portal.permissions import require
from portal.roles import Role

FORMATS = ("csv", "xlsx")
COLUMNS = [
    ("id", gettext_lazy("记录ID")),
    ("occurred_at", gettext_lazy("时间")),
    ("actor_username", gettext_lazy("账号")),
    ("actor_name", gettext_lazy("操作人")),
    ("department_name", gettext_lazy("部门")),
    ("role", gettext_lazy("角色")),
    ("action", gettext_lazy("操作")),
    ("object_type", gettext_lazy("对象类型")),
    ("object_id", gettext_lazy("对象ID")),
    ("object_repr", gettext_lazy("对象")),
    ("outcome", gettext_lazy("结果")),
    ("client_ip", gettext_lazy("客户端地址")),
    ("request_id", gettext_lazy("请求ID")),
    ("detail", gettext_lazy("详情")),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportTooLarge(DomainError):
    default_code = "export_too_large"


def _text(field: str, value) -> object:
    if value is None:
        return ""
    if field == "occurred_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if field == "outcome":
        return str(Outcome(value).label) if value in Outcome.values else value
    if field == "role":
        return str(Role(value).label) if value in Role.values else value
    if field == "detail":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value if isinstance(value, int) else str(value)


def _rows(queryset: QuerySet) -> Iterator[list]:
    fields = [name for name, _label in COLUMNS]
    for values in queryset.values_list(*fields).iterator(chunk_size=2000):
        yield [_text(f, v) for f, v in zip(fields, values)]


def _safe(value):
    """A cell a spreadsheet would evaluate (= + - @) is written as text (CSV: with a leading ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens UTF-8 Chinese correctly
    yield writer.writerow([str(label) for _name, label in COLUMNS])
    for row in _rows(queryset):
        yield writer.writerow([_safe(v) for v in row])


def xlsx_file(queryset: QuerySet):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("审计日志")[:31])
    sheet.append([str(label) for _name, label in COLUMNS])
    for row in _rows(queryset):
        cells = []
        for value in row:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, not a formula
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_prepare(*, actor: User, queryset: QuerySet, fmt: str, filters: dict) -> int:
    """Check the auditor may export, that the result is not too large, and record the export.

    Lhasa art. 41 and 43: exports of the log are traceable like every other operation; the entry
    names the filters, the format and the number of rows. Returns the number of rows.
    """
    if fmt not in FORMATS:
        raise DomainError(_("不支持的导出格式：%(fmt)s（可选 csv、xlsx）。") % {"fmt": fmt[:10]}, code="invalid_format")
    try:
        require(actor, "audit.export_auditentry")
    except DomainError:
        record("audit.export", actor=actor, outcome=Outcome.DENIED, detail={"format": fmt, "filters": filters})
        raise
    limit = settings.AUDIT_EXPORT_MAX_ROWS
    with transaction.atomic():
        rows = queryset.order_by()[: limit + 1].count()
        if rows > limit:
            raise ExportTooLarge(_("导出结果超过 %(limit)s 条，请缩小时间范围或增加筛选条件。") % {"limit": limit})
        record("audit.export", actor=actor, detail={"format": fmt, "rows": rows, "filters": filters})
    return rows


def export_filename(fmt: str) -> str:
    return f"audit-log-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"
