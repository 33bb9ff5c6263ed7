"""Pages of the self-checks: the runs and a run's report (with its progress while a worker does it),
a finding and its rectification, the risk assessments and the bureau's security dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import PermissionDeniedError
from portal.pages import refused
from portal.permissions import can, require
from portal.visibility import visible_or_404
from secops.selfchecks import checks, dashboard, forms, selectors, transitions
from secops.selfchecks.models import Finding
from secops.selfchecks.services import assessments, findings, runs


def _require_some_view(user) -> None:
    if not (selectors.sees_all(user) or can(user, selectors.RESOLVE)):
        raise PermissionDeniedError()


@login_required
def home(request):
    _require_some_view(request.user)
    visible = selectors.findings_visible_to(request.user)
    status = request.GET.get("status", Finding.Status.OPEN)
    if status in Finding.Status.values:
        visible = visible.filter(status=status)
    return render(
        request,
        "selfchecks/home.html",
        {
            "runs": selectors.runs_visible_to(request.user)[:50],
            "findings": visible[:200],
            "status": status,
            "statuses": Finding.Status.choices,
            "may_run": can(request.user, runs.RUN),
            "sees_all": selectors.sees_all(request.user),
            "labels": checks.labels(),
        },
    )


@login_required
@require_POST
def run_start(request):
    require(request.user, runs.RUN)
    with refused(request):
        run = runs.run_request(actor=request.user)
        messages.success(request, _("安全自查已开始，完成后可查看报告。"))
        return redirect("selfchecks:run", run.pk)
    return redirect("selfchecks:home")


def _run(request, pk):
    return visible_or_404(selectors.runs_visible_to(request.user), pk=pk)


def _report(run) -> list[dict]:
    by_code: dict[str, list] = {}
    for f in run.findings.select_related("owner_department").order_by("check_code", "-severity", "pk"):
        by_code.setdefault(f.check_code, []).append(f)
    return [{"code": c.code, "label": c.label, "findings": by_code.get(c.code, [])} for c in checks.registry()]


@login_required
def run_detail(request, pk):
    run = _run(request, pk)
    return render(request, "selfchecks/run.html", {"run": run, "report": _report(run)})


@login_required
def run_progress(request, pk):
    """The htmx fragment the run page polls while a worker does the checks."""
    return render(request, "selfchecks/_progress.html", {"run": _run(request, pk)})


def _finding(request, pk):
    return visible_or_404(selectors.findings_visible_to(request.user), pk=pk)


@login_required
def finding_detail(request, pk):
    finding = _finding(request, pk)
    may = findings.may_resolve(request.user, finding)
    return render(
        request,
        "selfchecks/finding.html",
        {
            "finding": finding,
            "label": checks.labels().get(finding.check_code, finding.check_code),
            "changes": finding.changes.select_related("actor"),
            "moves": [a for a in findings.ACTIONS if may and transitions.allowed(finding, a)],
            "form": forms.MoveForm(),
        },
    )


@login_required
@require_POST
def finding_move(request, pk, action):
    finding = _finding(request, pk)
    form = forms.MoveForm(request.POST)
    form.is_valid()
    with refused(request):
        findings.finding_move(
            actor=request.user, finding=finding, action=action, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, _("整改状态已更新。"))
    return redirect("selfchecks:finding", finding.pk)


@login_required
def assessment_list(request):
    require(request.user, selectors.VIEW_ASSESSMENTS)
    return render(
        request,
        "selfchecks/assessments.html",
        {
            "assessments": selectors.assessments_visible_to(request.user),
            "may_add": can(request.user, assessments.ADD),
        },
    )


@login_required
def assessment_detail(request, pk):
    assessment = visible_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    return render(
        request,
        "selfchecks/assessment.html",
        {"assessment": assessment, "may_edit": can(request.user, assessments.CHANGE)},
    )


def _assessment_values(data) -> dict:
    return {
        "year": data["year"],
        "title": data["title"],
        "scope": data["scope"],
        "method": data["method"],
        "conclusion": data["conclusion"],
        "finding_ids": data["findings"],
    }


@login_required
def assessment_create(request):
    require(request.user, assessments.ADD)
    form = forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            made = assessments.assessment_create(actor=request.user, **_assessment_values(form.cleaned_data))
            messages.success(request, _("风险评估已保存。"))
            return redirect("selfchecks:assessment", made.pk)
    return render(request, "selfchecks/assessment_form.html", {"form": form})


@login_required
def assessment_edit(request, pk):
    assessment = visible_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    require(request.user, assessments.CHANGE)
    form = forms.AssessmentForm(request.POST or None, instance=None if request.method == "POST" else assessment)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            assessments.assessment_update(
                actor=request.user, assessment=assessment, **_assessment_values(form.cleaned_data)
            )
            messages.success(request, _("风险评估已保存。"))
            return redirect("selfchecks:assessment", assessment.pk)
    return render(request, "selfchecks/assessment_form.html", {"form": form, "assessment": assessment})


@login_required
def security_dashboard(request):
    require(request.user, selectors.VIEW_ALL)
    figures = dashboard.figures(request.user, selectors.findings_visible_to(request.user))
    english = (get_language() or "").startswith("en")
    return render(
        request,
        "selfchecks/dashboard.html",
        {"figures": figures, "chart_locale": "EN" if english else "ZH", "charts": _chart_specs(figures)},
    )


def _chart_specs(figures: dict) -> dict:
    """What each chart draws (the data stays the table's: the page's script reads this JSON)."""
    return {
        "incidents_by_level": {
            "type": "bar",
            "title": _("未关闭的安全事件（按级别）"),
            "categories": [r[0] for r in figures["incidents_by_level"]],
            "series": [{"name": _("事件数"), "data": [r[1] for r in figures["incidents_by_level"]]}],
        },
        "response_times": {
            "type": "bar",
            "stack": True,
            "title": _("首次响应与期限（近一年）"),
            "categories": [r[0] for r in figures["response_times"]],
            "series": [
                {"name": _("按期响应"), "data": [r[2] for r in figures["response_times"]]},
                {"name": _("超期响应"), "data": [r[3] for r in figures["response_times"]]},
                {"name": _("超期未响应"), "data": [r[4] for r in figures["response_times"]]},
            ],
        },
        "findings_by_department": {
            "type": "bar",
            "stack": True,
            "title": _("待整改的自查问题（按部门）"),
            "categories": [r[0] for r in figures["findings_by_department"]],
            "series": [
                {"name": _("高"), "data": [r[1] for r in figures["findings_by_department"]]},
                {"name": _("中"), "data": [r[2] for r in figures["findings_by_department"]]},
                {"name": _("低"), "data": [r[3] for r in figures["findings_by_department"]]},
            ],
        },
        "trend": {
            "type": "line",
            "title": _("每月趋势"),
            "categories": [r[0] for r in figures["trend"]],
            "series": [
                {"name": _("自查发现"), "data": [r[1] for r in figures["trend"]]},
                {"name": _("安全事件"), "data": [r[2] for r in figures["trend"]]},
            ],
        },
    }
