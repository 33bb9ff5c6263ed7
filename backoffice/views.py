"""The evaluation dashboard (docs/features.md P3): the bureau sees every department and the ranking; a
department sees its own figures."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from backoffice import report
from portal.dashboard import figures


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
    data = figures.table(year, month, department_ids=scope)
    series = figures.monthly_series(year, department_ids=scope)
    chart = {
        "months": [_("%(m)d月") % {"m": m} for m in range(1, 13)],
        "series": [
            {"key": m.key, "label": str(m.label), "rate": m.is_rate, "values": series[m.key]} for m in data["metrics"]
        ],
        "ranking": [
            {"name": r["department"].name, "score": r["score"]}
            for r in sorted((r for r in data["rows"] if r["score"] is not None), key=lambda r: r["rank"])
        ],
    }
    return render(
        request,
        "portal/dashboard.html",
        {
            "data": data,
            "chart": chart,
            "year": year,
            "month": month,
            "city_view": scope is None,
            "years": range(timezone.localdate().year - 4, timezone.localdate().year + 1),
            "months": range(1, 13),
        },
    )


@login_required
def dashboard_report(request):
    scope = figures.scope_of(request.user)
    year, _month = _period(request)
    name = _("全市") if scope is None else request.user.department.name
    content = report.yearly_workbook(
        year, department_ids=scope, title=_("%(y)d 年度政务数据资源管理考核报告（%(n)s）") % {"y": year, "n": name}
    )
    record("portal.evaluation.export", detail={"year": year, "scope": "city" if scope is None else scope[0]})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{year}.xlsx"'
    return response
