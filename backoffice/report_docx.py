"""The yearly evaluation report as a Word document (python-docx): title, the narrative sections of
backoffice.report_text and their tables. The monthly figures are a table here (the PDF draws them
as charts): a chart image would need a renderer with a CJK font on the server, which CI has not."""

from __future__ import annotations

import io

import docx
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from backoffice import report_text

FONT = "SimSun"  # 宋体: Word on a Chinese desktop has it; LibreOffice substitutes a CJK serif


def _east_asian(style, size=None, bold=None):
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), FONT)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _table(document, rows: list[list[str]], *, size=9, first_width=None):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
            if first_width and c == 0:
                cell.width = first_width
    document.add_paragraph()
    return table


def document(year: int, *, department_ids=None, title: str) -> bytes:
    data = report_text.build(year, department_ids=department_ids)
    city = department_ids is None
    name = _("全市") if city else (data["ranking"][0]["department"].name if data["ranking"] else "")
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE  # the ranking and the months are wide tables
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    _east_asian(doc.styles["Normal"], size=11)
    for level, size in ((0, 20), (1, 15), (2, 13)):
        _east_asian(doc.styles["Title" if level == 0 else f"Heading {level}"], size=size, bold=True)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    doc.add_heading(title, level=0)
    doc.add_paragraph(
        _("考核年度：%(y)d 年　生成时间：%(t)s") % {"y": year, "t": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    headings = dict(report_text.sections(city))

    doc.add_heading(headings["summary"], level=1)
    for line in report_text.summary(data, name):
        doc.add_paragraph(line)

    doc.add_heading(headings["areas"], level=1)
    for group in data["groups"]:
        doc.add_heading(group["label"], level=2)
        for f in group["figures"]:
            doc.add_paragraph(report_text.finding(f), style="List Bullet")
        _table(doc, report_text.figure_table(group), first_width=Cm(7))

    doc.add_heading(headings["ranking"], level=1)
    doc.add_paragraph(report_text.rate_legend(data))
    _table(doc, report_text.ranking_table(data), size=8)

    doc.add_heading(headings["below"], level=1)
    for line in report_text.below_lines(data):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading(headings["months"], level=1)
    for group in data["groups"]:
        doc.add_heading(group["label"], level=2)
        _table(doc, report_text.month_table(data, group), size=8)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
