"""The yearly evaluation report as an Excel workbook: the city, each department, month by month."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from catalog.datastore.sql import FORMULA_STARTS
from portal.dashboard import figures


def _fmt(metric, value):
    if value is None:
        return "-"
    return f"{value}%" if metric.is_rate else value


def _text(value: str) -> str:
    """Department names are typed by people: one that starts like a formula is kept as text (openpyxl
    writes a string starting with "=" as a formula; SECURITY.md 14.16, the catalog export's guard)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def yearly_workbook(year: int, *, department_ids=None, title: str) -> bytes:
    data = figures.table(year, department_ids=department_ids)
    metrics = data["metrics"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("年度考核")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("年度"), year])
    sheet.append([])
    sheet.append([_("排名"), _("部门"), _("综合得分")] + [str(m.label) for m in metrics])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in sorted(data["rows"], key=lambda r: (r.get("rank") or 10**6, r["department"].name)):
        sheet.append(
            [row.get("rank", "-"), _text(row["department"].name), row["score"] if row["score"] is not None else "-"]
            + [_fmt(m, row["values"][m.key]) for m in metrics]
        )
    if department_ids is None:
        sheet.append(
            ["", _("全市"), data["city_score"] if data["city_score"] is not None else "-"]
            + [_fmt(m, data["city"][m.key]) for m in metrics]
        )
    months = workbook.create_sheet(_("逐月"))
    months.append([_("指标")] + [_("%(m)d月") % {"m": m} for m in range(1, 13)])
    series = figures.monthly_series(year, department_ids=department_ids)
    for m in metrics:
        months.append([str(m.label)] + [_fmt(m, v) for v in series[m.key]])
    for ws in (sheet, months):
        ws.column_dimensions["B"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
