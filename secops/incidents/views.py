"""Pages of the incident register: the list, reporting, the incident page with its actions
(state, containment, notice, report upward, evidence), the bureau's report template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import PermissionDeniedError
from portal.pages import refused
from portal.permissions import can, require
from portal.visibility import visible_or_404
from secops.incidents import forms, selectors, transitions
from secops.incidents.models import Containment, Evidence, UpwardReport
from secops.incidents.services import containment, evidence, notices, register, reports
from secops.incidents.services import scope as scoping

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _incident(request, pk):
    return visible_or_404(selectors.incidents_visible_to(request.user), pk=pk)


@login_required
def incident_list(request):
    visible = selectors.incidents_visible_to(request.user)
    if not visible.exists() and not can(request.user, register.REPORT) and not can(request.user, selectors.VIEW_ALL):
        raise PermissionDeniedError()
    return render(
        request,
        "incidents/list.html",
        {
            "incidents": visible[:200],
            "may_report": can(request.user, register.REPORT),
            "may_edit_template": can(request.user, reports.EDIT_TEMPLATE),
        },
    )


@login_required
def report(request):
    require(request.user, register.REPORT)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form):
            incident = register.report_incident(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                level=data["level"],
                description=data["description"],
                exposed=data["exposed"],
                advice=data["advice"],
                is_drill=data["is_drill"],
                departments=data["departments"],
                users=data["users"],
                persons=data["persons"],
            )
            messages.success(request, _("安全事件已报告，大数据局将及时处置。"))
            return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/report.html", {"form": form})


@login_required
def detail(request, pk):
    incident = _incident(request, pk)
    handler = register.may_handle(request.user)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "handler": handler,
            "overdue": selectors.overdue(incident),
            "actions": incident.actions.select_related("actor"),
            "evidence": incident.evidence.all(),
            "holds": incident.containments.select_related("grant", "user", "api_key", "department", "entry", "dataset"),
            "notices": incident.notices.prefetch_related("recipients"),
            "upward_reports": incident.upward_reports.all(),
            "moves": [
                a for a in ("handle", "contain", "reopen", "close") if handler and transitions.allowed(incident, a)
            ],
            "contain_form": forms.ContainForm(),
            "notice_form": forms.NoticeForm(),
            "move_form": forms.MoveForm(),
            "evidence_form": forms.EvidenceForm(),
            "lift_form": forms.LiftForm(),
            "scope_form": forms.ScopeForm(),
            "recipients": notices.recipients_of(incident) if handler else [],
        },
    )


def _back(incident):
    return redirect("incidents:detail", incident.pk)


def _form_error(request, form) -> None:
    for errs in form.errors.values():
        for message in errs:
            messages.error(request, message)


@login_required
@require_POST
def move(request, pk, action):
    incident = _incident(request, pk)
    form = forms.MoveForm(request.POST)
    form.is_valid()
    with refused(request):
        register.incident_move(
            actor=request.user, incident=incident, action=action, note=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("事件状态已更新。"))
    return _back(incident)


@login_required
@require_POST
def contain(request, pk):
    incident = _incident(request, pk)
    register.require_handler(request.user)
    form = forms.ContainForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(incident)
    with refused(request):
        containment.contain(
            actor=request.user,
            incident=incident,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            **form.targets(),
        )
        messages.success(request, _("控制措施已生效。"))
    return _back(incident)


@login_required
@require_POST
def scope(request, pk):
    incident = _incident(request, pk)
    register.require_handler(request.user)
    form = forms.ScopeForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(incident)
    with refused(request):
        scoping.incident_scope(actor=request.user, incident=incident, **form.cleaned_data)
        messages.success(request, _("受影响范围已补充。"))
    return _back(incident)


@login_required
@require_POST
def lift(request, pk):
    hold = visible_or_404(Containment.objects.filter(incident__in=selectors.incidents_visible_to(request.user)), pk=pk)
    register.require_handler(request.user)
    form = forms.LiftForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    else:
        with refused(request):
            containment.lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
            messages.success(request, _("控制措施已解除。"))
    return redirect("incidents:detail", hold.incident_id)


@login_required
@require_POST
def notify(request, pk):
    incident = _incident(request, pk)
    form = forms.NoticeForm(request.POST)
    form.is_valid()
    with refused(request):
        notice = notices.notify_affected(
            actor=request.user,
            incident=incident,
            title=form.cleaned_data.get("title", ""),
            body=form.cleaned_data.get("body", ""),
        )
        messages.success(request, _("已通知 %(n)d 人。") % {"n": notice.recipients.count()})
    return _back(incident)


@login_required
@require_POST
def report_upward(request, pk):
    incident = _incident(request, pk)
    with refused(request):
        reports.report_upward(actor=request.user, incident=incident)
        messages.success(request, _("事件报告已生成，请下载后报送主管部门。"))
    return _back(incident)


@login_required
def report_download(request, pk):
    upward = visible_or_404(
        UpwardReport.objects.filter(incident__in=selectors.incidents_visible_to(request.user)), pk=pk
    )
    response = HttpResponse(reports.report_content(actor=request.user, report=upward), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="incident-{upward.incident_id}-report-{upward.pk}.docx"'
    return response


@login_required
@require_POST
def evidence_add(request, pk):
    incident = _incident(request, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_error(request, form)
        return _back(incident)
    data = form.cleaned_data
    with refused(request):
        evidence.add_evidence(
            actor=request.user,
            incident=incident,
            audit_entry_id=data["audit_entry_id"],
            receipt=data["receipt"],
            upload=data["file"],
            note=data["note"],
        )
        messages.success(request, _("证据已添加。"))
    return _back(incident)


@login_required
def evidence_download(request, pk):
    item = visible_or_404(
        Evidence.objects.filter(incident__in=selectors.incidents_visible_to(request.user), kind=Evidence.Kind.FILE),
        pk=pk,
    )
    response = HttpResponse(
        evidence.evidence_content(actor=request.user, evidence=item), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = f'attachment; filename="evidence-{item.pk}"'
    return response


@login_required
def template(request):
    require(request.user, reports.EDIT_TEMPLATE)
    form = forms.TemplateForm(request.POST or None, initial={"body": reports.template_body()})
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            reports.template_save(actor=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("报告模板已保存。"))
            return redirect("incidents:template")
    return render(request, "incidents/template.html", {"form": form})
