"""The yearly evaluation report as PDF (reportlab): the same sections as the Word file, with the
monthly charts drawn by reportlab.graphics (vector, no system library) and Chinese set in the
built-in CID font STSong-Light (Adobe's Asian font pack names it; a reader supplies the glyphs, so no
font file ships with the portal or has to be installed on the server)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.tables import LongTable

from backoffice import report_text

FONT = "STSong-Light"
PALETTE = [colors.HexColor(c) for c in ("#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452")]
PAGE = landscape(A4)
WIDTH = PAGE[0] - 4 * cm


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles():
    def style(name, size, **kw):
        return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=size * 1.5, wordWrap="CJK", **kw)

    return {
        "title": style("title", 18, alignment=1, spaceAfter=12),
        "h1": style("h1", 14, spaceBefore=12, spaceAfter=6),
        "h2": style("h2", 12, spaceBefore=8, spaceAfter=4),
        "body": style("body", 10.5, firstLineIndent=21),
        "item": style("item", 10, leftIndent=12, bulletIndent=0),
        "cell": style("cell", 8.5),
    }


def _table(rows, styles, widths=None):
    data = [[Paragraph(str(v), styles["cell"]) for v in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _none_free(values):
    """reportlab draws nothing for a missing month only in line charts; bars get 0 with the gap
    stated in the table of the Word file and the dashboard."""
    return [0 if v is None else v for v in values]


def _chart(spec: dict, caption: str) -> Drawing:
    width, height = WIDTH, 6.5 * cm
    drawing = Drawing(width, height + 1.2 * cm)
    rate = spec["unit"] == "%"
    chart = HorizontalLineChart() if spec["type"] == "line" else VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.5 * cm, 1.0 * cm, width - 7.5 * cm, height - 1.2 * cm
    if spec["type"] == "line":
        chart.data = [tuple(s["data"]) for s in spec["series"]]
        chart.joinedLines = 1
        for i, s in enumerate(spec["series"]):
            colour = PALETTE[i % len(PALETTE)]
            chart.lines[i].symbol = makeMarker("FilledCircle", size=3, fillColor=colour, strokeColor=colour)
            # a month with data between months without is a point: reportlab cannot stroke one point
            points = sum(v is not None for v in s["data"])
            chart.lines[i].strokeColor = colour if points >= 2 else None
            chart.lines[i].strokeWidth = 1.5
    else:
        chart.data = [tuple(_none_free(s["data"])) for s in spec["series"]]
        for i, _s in enumerate(spec["series"]):
            chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
            chart.bars[i].strokeColor = None
    chart.categoryAxis.categoryNames = spec["categories"]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    if rate:
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 20
        chart.valueAxis.labelTextFormat = "%d%%"
    elif not any(v for s in spec["series"] for v in s["data"] if v):
        chart.valueAxis.valueMax = 1
    drawing.add(chart)
    drawing.add(String(0, height + 0.6 * cm, caption, fontName=FONT, fontSize=10))
    legend = Legend()
    legend.x, legend.y = width - 5.6 * cm, height - 0.4 * cm
    legend.fontName, legend.fontSize, legend.alignment = FONT, 8, "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], s["name"]) for i, s in enumerate(spec["series"])]
    drawing.add(legend)
    return drawing


def _ranking_chart(spec: dict, caption: str) -> Drawing | None:
    names = spec["categories"]
    if not names:
        return None
    bar = 0.55 * cm
    height = bar * len(names) + 1.5 * cm
    drawing = Drawing(WIDTH, height + 1 * cm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 5 * cm, 0.8 * cm, WIDTH - 7 * cm, bar * len(names)
    chart.data = [tuple(reversed(spec["series"][0]["data"]))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.bars[0].fillColor = PALETTE[0]
    drawing.add(chart)
    drawing.add(String(0, height + 0.4 * cm, caption, fontName=FONT, fontSize=10))
    return drawing


def document(year: int, *, department_ids=None, title: str) -> bytes:
    _font()
    styles = _styles()
    data = report_text.build(year, department_ids=department_ids)
    city = department_ids is None
    name = _("全市") if city else (data["ranking"][0]["department"].name if data["ranking"] else "")
    headings = dict(report_text.sections(city))
    story = [
        Paragraph(title, styles["title"]),
        Paragraph(
            _("考核年度：%(y)d 年　生成时间：%(t)s")
            % {"y": year, "t": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
            styles["body"],
        ),
        Paragraph(headings["summary"], styles["h1"]),
    ]
    story += [Paragraph(line, styles["body"]) for line in report_text.summary(data, name)]
    story.append(Paragraph(headings["areas"], styles["h1"]))
    for group in data["groups"]:
        story.append(Paragraph(group["label"], styles["h2"]))
        story += [Paragraph(report_text.finding(f), styles["item"], bulletText="•") for f in group["figures"]]
        story += [Spacer(1, 4), _table(report_text.figure_table(group), styles, [7 * cm] + [3.6 * cm] * 5)]
    story.append(Paragraph(headings["ranking"], styles["h1"]))
    chart = _ranking_chart(data["ranking_chart"], _("综合得分（分）"))
    if chart is not None and city:
        story.append(chart)
    story += [
        Paragraph(report_text.rate_legend(data), styles["item"]),
        Spacer(1, 4),
        _table(report_text.ranking_table(data), styles),
    ]
    story.append(Paragraph(headings["below"], styles["h1"]))
    story += [Paragraph(line, styles["item"], bulletText="•") for line in report_text.below_lines(data)]
    story.append(Paragraph(headings["months"], styles["h1"]))
    for spec in data["charts"]:
        story.append(KeepTogether([_chart(spec["spec"], spec["caption"]), Spacer(1, 8)]))
    quiet = [name for group in data["groups"] for name in group["quiet"]]
    if quiet:
        story.append(Paragraph(_("本年度暂无数据，未作图：") + _("、").join(quiet), styles["item"]))
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=title,
        lang="zh-CN",
    )
    pdf.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(PAGE[0] - 2 * cm, 1 * cm, _("第 %(n)d 页") % {"n": doc.page})
    canvas.restoreState()
