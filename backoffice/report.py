"""The yearly evaluation report as an Excel workbook: the city, each department, month by month.
Rates are numbers (0.576 shown as 57.6% by the cell's number format), so that a reader can sort and
compute with them; a period without data is an empty cell."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from catalog.datastore.sql import FORMULA_STARTS
from portal.dashboard import figures, overview

PERCENT = "0.0%"
SCORE = "0.0"


def _put(cell, metric, value):
    if value is None:
        return
    if metric.is_rate:
        cell.value = round(value / 100, 4)
        cell.number_format = PERCENT
    else:
        cell.value = value
        cell.number_format = "#,##0"


def _text(value: str) -> str:
    """Department names are typed by people: one that starts like a formula is kept as text (openpyxl
    writes a string starting with "=" as a formula; SECURITY.md 14.16, the catalog export's guard)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _score(cell, value):
    if value is not None:
        cell.value = value
        cell.number_format = SCORE


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
    rows = overview.ranked(data["rows"])
    if department_ids is None:
        rows = rows + [{"department": None, "values": data["city"], "score": data["city_score"]}]
    for row in rows:
        n = sheet.max_row + 1
        name = _("全市") if row["department"] is None else _text(row["department"].name)
        sheet.cell(n, 1, row.get("rank", "" if row["department"] is None else "-"))
        sheet.cell(n, 2, name)
        _score(sheet.cell(n, 3), row["score"])
        for i, m in enumerate(metrics, start=4):
            _put(sheet.cell(n, i), m, row["values"][m.key])
    months = workbook.create_sheet(_("逐月"))
    months.append([_("指标")] + [_("%(m)d月") % {"m": m} for m in range(1, 13)])
    series = figures.monthly_series(year, department_ids=department_ids)
    for m in metrics:
        n = months.max_row + 1
        months.cell(n, 1, str(m.label))
        for i, value in enumerate(series[m.key], start=2):
            _put(months.cell(n, i), m, value)
    sheet.column_dimensions["B"].width = 28
    months.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
