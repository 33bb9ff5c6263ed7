"""Pages of objections (S7) and coordination requests (S3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.pages import refused
from portal.permissions import can
from portal.visibility import visible_or_404
from sharing import selectors
from sharing.forms import AnswerForm, ConclusionForm, CoordinationForm, ObjectionForm
from sharing.models import Coordination, Objection
from sharing.services import coordination as coordination_services
from sharing.services import objections
from sharing.views.applications import labels_of, shared_entry_or_404
from sharing.views.grants import grant_or_404


@login_required
def objection_new(request, pk):
    grant = grant_or_404(request, pk)
    form = ObjectionForm(request.POST or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            objection = objections.objection_raise(actor=request.user, grant=grant, **form.cleaned_data)
            messages.success(request, _("异议已提交，提供部门将在期限内核查。"))
            return redirect("sharing:objection", pk=objection.pk)
    return render(request, "sharing/objection_form.html", {"grant": grant, "form": form})


def _objection(request, pk) -> Objection:
    return visible_or_404(selectors.objections_visible_to(request.user), pk=pk)


@login_required
def objection_detail(request, pk):
    objection = _objection(request, pk)
    answer = objection.status == Objection.Status.OPEN and can(
        request.user, "portal.review_share_requests", objection.provider_department
    )
    return render(
        request,
        "sharing/objection.html",
        {
            "objection": objection,
            "labels": labels_of(objection.grant.application.entry_version),
            "deadline": getattr(objection, "deadline", None),
            "answer_form": AnswerForm(kind="objection") if answer else None,
        },
    )


@login_required
@require_POST
def objection_answer(request, pk):
    objection = _objection(request, pk)
    form = AnswerForm(request.POST, kind="objection")
    with refused(request):
        if not form.is_valid():
            raise DomainError(_("请选择核查结果并写明意见。"))
        objections.objection_answer(
            actor=request.user,
            objection=objection,
            corrected=form.cleaned_data["outcome"] == "correct",
            answer=form.cleaned_data["answer"],
        )
        messages.success(request, _("已答复异议。"))
    return redirect("sharing:objection", pk=pk)


@login_required
def coordination_new(request, entry_pk):
    entry = shared_entry_or_404(request, entry_pk)
    form = CoordinationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form):
            coordination = coordination_services.coordination_open(
                actor=request.user, entry=entry, need=form.cleaned_data["need"]
            )
            messages.success(request, _("协调申请已提交给提供部门。"))
            return redirect("sharing:coordination", pk=coordination.pk)
    return render(request, "sharing/coordination_form.html", {"entry": entry, "form": form})


def _coordination(request, pk) -> Coordination:
    return visible_or_404(selectors.coordinations_visible_to(request.user), pk=pk)


@login_required
def coordination_detail(request, pk):
    coordination = _coordination(request, pk)
    user = request.user
    status = Coordination.Status
    return render(
        request,
        "sharing/coordination.html",
        {
            "coordination": coordination,
            "deadline": getattr(coordination, "deadline", None),
            "answer_form": AnswerForm(kind="coordination")
            if coordination.status == status.OPEN
            and can(user, "portal.review_share_requests", coordination.provider_department)
            else None,
            "escalate": coordination.status == status.DECLINED
            and user.department_id == coordination.applicant_department_id,
            "conclude_form": ConclusionForm()
            if coordination.status == status.ESCALATED and can(user, "sharing.rule_escalated")
            else None,
        },
    )


def _act(request, pk, call, success):
    coordination = _coordination(request, pk)
    with refused(request):
        call(coordination)
        messages.success(request, success)
    return redirect("sharing:coordination", pk=pk)


@login_required
@require_POST
def coordination_answer(request, pk):
    form = AnswerForm(request.POST, kind="coordination")
    valid = form.is_valid()

    def call(coordination):
        if not valid:
            raise DomainError(_("请选择协商结果并写明意见。"))
        coordination_services.coordination_answer(
            actor=request.user,
            coordination=coordination,
            agreed=form.cleaned_data["outcome"] == "agree",
            answer=form.cleaned_data["answer"],
        )

    return _act(request, pk, call, _("已答复协调申请。"))


@login_required
@require_POST
def coordination_escalate(request, pk):
    return _act(
        request,
        pk,
        lambda c: coordination_services.coordination_escalate(actor=request.user, coordination=c),
        _("已提请大数据局协调。"),
    )


@login_required
@require_POST
def coordination_conclude(request, pk):
    form = ConclusionForm(request.POST)
    conclusion = form.cleaned_data["conclusion"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda c: coordination_services.coordination_conclude(
            actor=request.user, coordination=c, conclusion=conclusion
        ),
        _("协调申请已办结。"),
    )
