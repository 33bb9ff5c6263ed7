"""The evaluation dashboard (docs/features.md P3): the bureau sees every department and the ranking; a
department sees its own figures. The yearly report downloads as Word, PDF or Excel."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from backoffice import report, report_docx, report_pdf
from portal.dashboard import figures, overview

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", report_docx.document),
    "pdf": ("application/pdf", report_pdf.document),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report.yearly_workbook),
}


def _period(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month") or 0) or None
    except ValueError:
        year, month = today.year, None
    year = min(max(year, 2000), today.year + 1)
    if month is not None and not 1 <= month <= 12:
        month = None
    return year, month


@login_required
def dashboard(request):
    scope = figures.scope_of(request.user)
    year, month = _period(request)
    data = overview.build(year, month, department_ids=scope)
    before = data["previous"]
    if month is None:
        compared = _("较上年")
    else:
        compared = _("较上月")
    return render(
        request,
        "portal/dashboard.html",
        {
            "data": data,
            "compared": compared,
            "previous_name": (
                _("%(y)d 年") % {"y": before["year"]}
                if before["month"] is None
                else _("%(y)d 年 %(m)d 月") % {"y": before["year"], "m": before["month"]}
            ),
            "year": year,
            "month": month,
            "city_view": scope is None,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "months": range(1, 13),
        },
    )


def attachment(response: HttpResponse, name: str) -> HttpResponse:
    """A Chinese file name: RFC 6266 / RFC 5987 `filename*` for browsers, an ASCII `filename` for
    the rest (a header value must be Latin-1)."""
    fallback = name.encode("ascii", "ignore").decode().strip() or "report"
    ascii_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in fallback)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def dashboard_report(request):
    scope = figures.scope_of(request.user)
    year, _month = _period(request)
    kind = request.GET.get("format") or "xlsx"
    if kind not in FORMATS:
        return HttpResponse(
            _("报告格式只能是 docx、pdf 或 xlsx。"), status=400, content_type="text/plain; charset=utf-8"
        )
    name = _("全市") if scope is None else request.user.department.name
    title = _("%(y)d 年度政务数据共享开放考核报告（%(n)s）") % {"y": year, "n": name}
    content_type, build = FORMATS[kind]
    content = build(year, department_ids=scope, title=title)
    record(
        "portal.evaluation.export",
        detail={"year": year, "scope": "city" if scope is None else scope[0], "format": kind},
    )
    filename = _("%(y)d年度政务数据共享开放考核报告") % {"y": year} + "." + kind
    return attachment(HttpResponse(content, content_type=content_type), filename)
