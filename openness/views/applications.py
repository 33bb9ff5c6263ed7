"""Applications for 依申请开放 data (docs/features.md O3): apply, answer, ask for and decide a re-review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openness import selectors
from openness.forms import ApplicationForm, DecisionForm, ReasonForm
from openness.models import Application, Dataset
from openness.services import applications
from portal.pages import refused
from portal.permissions import can
from portal.visibility import hidden_404, visible_or_404


@login_required
def apply(request, pk):
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise hidden_404(Dataset, pk)  # SECURITY.md 14.4: audited when it exists (never published)
    if not can(request.user, applications.APPLY):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form, permission_as_message=True):
            application = applications.application_submit(
                actor=request.user,
                dataset=dataset,
                purpose=form.cleaned_data["purpose"],
                intended_use=form.cleaned_data["intended_use"],
            )
            messages.success(request, _("申请已提交，数据提供部门将在期限内答复。"))
            return redirect("openness:application", pk=application.pk)
    return render(
        request,
        "openness/apply.html",
        {"dataset": dataset, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_list(request):
    return render(request, "openness/application_list.html", {"applications": selectors.applications_for(request.user)})


def _application_or_404(request, pk) -> Application:
    return visible_or_404(selectors.applications_for(request.user), pk=pk)


@login_required
def application_detail(request, pk):
    application = _application_or_404(request, pk)
    user = request.user
    return render(
        request,
        "openness/application_detail.html",
        {
            "application": application,
            "dataset": application.dataset,
            "may_answer": application.status == Application.Status.PENDING
            and can(user, applications.PUBLISH, application.dataset.department),
            "may_rereview": application.status == Application.Status.REREVIEW and can(user, applications.REREVIEW),
            "may_ask_rereview": application.applicant_id == user.pk
            and application.rereview_requested_at is None
            and application.status in (Application.Status.REFUSED, Application.Status.PENDING),
            "decision_form": DecisionForm(),
            "rereview_form": ReasonForm(label=_("申请复核的理由")),
            "rereview_decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def application_answer(request, pk):
    application = _application_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意。"))
        return redirect("openness:application", pk=pk)
    with refused(request, permission_as_message=True):
        if form.cleaned_data["decision"] == "approve":
            applications.application_approve(
                actor=request.user, application=application, answer=form.cleaned_data["answer"]
            )
        else:
            applications.application_refuse(
                actor=request.user, application=application, answer=form.cleaned_data["answer"]
            )
        messages.success(request, _("已答复申请人。"))
    return redirect("openness:application", pk=pk)


@login_required
@require_POST
def application_rereview_request(request, pk):
    application = _application_or_404(request, pk)
    form = ReasonForm(request.POST)
    with refused(request, permission_as_message=True):
        applications.application_request_rereview(
            actor=request.user, application=application, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
        messages.success(request, _("已向大数据局申请复核。"))
    return redirect("openness:application", pk=pk)


@login_required
@require_POST
def application_rereview_decide(request, pk):
    application = _application_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意。"))
        return redirect("openness:application", pk=pk)
    with refused(request, permission_as_message=True):
        applications.application_rereview_decide(
            actor=request.user,
            application=application,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["answer"],
        )
        messages.success(request, _("复核意见已送达申请人和数据提供部门。"))
    return redirect("openness:application", pk=pk)
