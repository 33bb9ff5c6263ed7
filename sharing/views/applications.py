"""Pages of applications and their review. Thin: parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors as catalog_selectors
from catalog.models import ShareType
from portal.pages import refused
from portal.permissions import can
from portal.visibility import visible_or_404
from sharing import selectors
from sharing.forms import ApplicationForm, ApproveForm, ReasonForm
from sharing.models import Application, Grant
from sharing.services import applications, grade_rules

TABS = ("applications", "grants", "provided", "objections", "coordinations")


def labels_of(version) -> dict:
    return {i.key: i.name for i in version.items.all()}


@login_required
def home(request):
    user = request.user
    tab = request.GET.get("tab", "applications")
    tab = tab if tab in TABS else "applications"
    status = request.GET.get("status", "")
    if tab == "applications":
        qs = selectors.applications_visible_to(user)
        if status in Application.Status.values:
            qs = qs.filter(status=status)
    elif tab == "grants":
        qs = selectors.grants_visible_to(user) if selectors.sees_all(user) else selectors.grants_held_by(user)
    elif tab == "provided":
        qs = selectors.grants_provided_by(user)
    elif tab == "objections":
        qs = selectors.objections_visible_to(user)
    else:
        qs = selectors.coordinations_visible_to(user)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/home.html",
        {
            "tab": tab,
            "page": page,
            "status": status,
            "statuses": Application.Status.choices,
            "query_string": f"tab={tab}&status={status}",
            "can_apply": can(user, "sharing.apply_for_data") and user.department_id is not None,
            "sees_all": selectors.sees_all(user),
        },
    )


@login_required
def choose_entry(request):
    """Find a published entry of another department to apply for."""
    q = request.GET.get("q", "").strip()[:100]
    result = catalog_selectors.search_versions(
        request.user, q=q, filters={}, sort="relevance" if q else "name", with_facets=False
    )
    versions = result.versions.filter(status="published").exclude(entry__department_id=request.user.department_id)
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    return render(request, "sharing/choose_entry.html", {"page": page, "q": q, "query_string": f"q={q}"})


def shared_entry_or_404(request, entry_pk):
    entry = visible_or_404(catalog_selectors.entries_visible_to(request.user), pk=entry_pk)  # SECURITY.md 14.4
    if entry.published_version is None:
        raise Http404
    return entry


@login_required
def apply(request, entry_pk):
    entry = shared_entry_or_404(request, entry_pk)
    version = entry.published_version
    if version.share_type == ShareType.NOT_SHARED:
        messages.info(request, _("该资源为不予共享类，不能申请；如因履职确需使用，可发起协调申请。"))
        return redirect("sharing:coordination_new", entry_pk=entry.pk)
    renews = None
    renews_pk = request.GET.get("renews") or request.POST.get("renews")
    if renews_pk and str(renews_pk).isdigit():
        renews = selectors.grants_held_by(request.user).filter(pk=int(renews_pk), entry=entry).first()
    form = ApplicationForm(request.POST or None, version=version, initial=_renewal_initial(renews))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form):
            application = applications.application_submit(
                actor=request.user,
                entry=entry,
                purpose=data["purpose"],
                items=data["items"] or None,
                mode=data["mode"] or None,
                end_date=data["end_date"],
                scenario_text=data["scenario_text"],
                unmask_requested=data["unmask_requested"],
                renews=renews,
            )
            application.refresh_from_db()
            if application.status == Application.Status.APPROVED:
                messages.success(request, application.decision_note)
            else:
                messages.success(request, _("申请已提交，请等待审核。"))
            return redirect("sharing:application", pk=application.pk)
    return render(request, "sharing/apply.html", {"entry": entry, "version": version, "form": form, "renews": renews})


def _renewal_initial(grant: Grant | None) -> dict:
    if grant is None:
        return {}
    app = grant.application
    return {"purpose": app.purpose, "scenario_text": app.scenario_text, "items": grant.items, "mode": grant.mode}


def _application(request, pk) -> Application:
    return visible_or_404(selectors.applications_visible_to(request.user), pk=pk)


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    decide = application.is_pending and applications.may_decide(request.user, application)
    return render(
        request,
        "sharing/application.html",
        {
            "application": application,
            "labels": labels_of(application.entry_version),
            "deadline": getattr(application, "deadline", None),
            "grant": Grant.objects.filter(application=application).first(),
            "decide": decide,
            "approve_form": ApproveForm(application=application) if decide else None,
            "refuse_form": ReasonForm() if decide else None,
            "cancel": application.is_pending and request.user.department_id == application.applicant_department_id,
            **_co_approval(request.user, application),
        },
    )


def _co_approval(user, application: Application) -> dict:
    """Sixian art. 39 (docs/grading.md): whether the bureau's co-approval is needed, and may be given here."""
    needed = grade_rules.needs_co_approval(application)
    return {
        "co_approval_needed": needed,
        "co_approve": needed
        and application.is_pending
        and application.co_approved_at is None
        and can(user, "sharing.review_unconditional")
        and user.pk != application.applicant_id,
    }


@login_required
@require_POST
def application_co_approve(request, pk):
    application = _application(request, pk)
    with refused(request):
        grade_rules.application_co_approve(
            actor=request.user, application=application, note=request.POST.get("note", "")
        )
        messages.success(request, _("已会签，提供部门可以办理授权。"))
    return redirect("sharing:application", pk=pk)


@login_required
@require_POST
def application_approve(request, pk):
    application = _application(request, pk)
    form = ApproveForm(request.POST, application=application)
    if form.is_valid():
        data = form.cleaned_data
        with refused(request):
            applications.application_approve(
                actor=request.user,
                application=application,
                items=data["items"],
                mode=data["mode"],
                end_date=data["end_date"],
                unmasked_items=data["unmasked_items"],
                note=data["note"],
                daily_call_quota=data["daily_call_quota"],
                daily_row_quota=data["daily_row_quota"],
            )
            messages.success(request, _("已批准，授权已生效。"))
    else:
        messages.error(
            request, _("批准内容有误：%(e)s") % {"e": "；".join(str(e) for errs in form.errors.values() for e in errs)}
        )
    return redirect("sharing:application", pk=pk)


@login_required
@require_POST
def application_refuse(request, pk):
    application = _application(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refused(request):
        applications.application_refuse(actor=request.user, application=application, reason=reason)
        messages.success(request, _("已作出不予授权的决定。"))
    return redirect("sharing:application", pk=pk)


@login_required
@require_POST
def application_cancel(request, pk):
    application = _application(request, pk)
    with refused(request):
        applications.application_cancel(actor=request.user, application=application)
        messages.success(request, _("申请已撤回。"))
    return redirect("sharing:application", pk=pk)


@login_required
def review_queue(request):
    return render(request, "sharing/review.html", {"applications": selectors.review_queue(request.user)})
