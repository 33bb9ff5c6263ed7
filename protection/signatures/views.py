"""Pages of the signatures app: evidence downloads, the verifier, the key records (bureau admin)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.pages import refused
from portal.permissions import can
from portal.visibility import visible_or_404
from protection.signatures import selectors, verifier
from protection.signatures.forms import IssueForm, VerifyForm
from protection.signatures.models import Certificate
from protection.signatures.services import evidence, keys


def _zip(blob: bytes, name: str) -> HttpResponse:
    response = HttpResponse(blob, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def receipt_evidence(request, uid):
    """The evidence package of one delivery, for its requesting and providing departments and the bureau."""
    receipt = visible_or_404(selectors.receipts_visible_to(request.user), uid=uid)
    return _zip(evidence.receipt_package(actor=request.user, receipt=receipt), f"receipt-{receipt.uid}.zip")


@login_required
def decision_evidence(request, uid):
    decision = visible_or_404(selectors.decisions_visible_to(request.user), uid=uid)
    return _zip(evidence.decision_package(actor=request.user, decision=decision), f"decision-{decision.uid}.zip")


@login_required
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data.get("delivered")
        report = evidence.verify_upload(blob=form.cleaned_data["evidence"].read(), data=data.read() if data else None)
    message = _(verifier.MESSAGES[report.status]) if report else ""
    return render(
        request,
        "signatures/verify.html",
        {"form": form, "report": report, "message": message},
        status=200 if report is None or report.valid else 400,
    )


@login_required
def root_certificate(request):
    """The platform's root key record (the trust anchor of the offline verifier); anyone signed in."""
    response = HttpResponse(_json(keys.part(keys.root_certificate())), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="ca.json"'
    return response


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@login_required
def certificates(request, form=None):
    if not can(request.user, "signatures.view_certificate"):
        raise PermissionDenied
    keys.platform_certificate()  # the platform's own record exists from the first look
    return render(
        request,
        "signatures/certificates.html",
        {
            "certificates": Certificate.objects.select_related("key").order_by("-not_before", "-id")[:200],
            "may_revoke": can(request.user, "signatures.change_certificate"),
            "issue_form": form or IssueForm(),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def certificate_revoke(request, pk):
    if not can(request.user, "signatures.view_certificate"):
        raise PermissionDenied
    cert = visible_or_404(Certificate.objects.all(), pk=pk)
    with refused(request):  # a refusal of permission is the 403 page
        keys.revoke_certificate(actor=request.user, certificate=cert, reason=request.POST.get("reason", ""))
        messages.success(request, _("证书已吊销。"))
    return redirect("signatures:certificates")


@login_required
@require_POST
def certificate_issue(request):
    if not can(request.user, "signatures.change_certificate"):
        raise PermissionDenied
    form = IssueForm(request.POST)
    if form.is_valid():
        with refused(request, form=form):
            cert = keys.issue_by_admin(
                actor=request.user, department=form.cleaned_data["department"], days=form.cleaned_data["days"]
            )
            messages.success(request, _("证书已签发：%(s)s") % {"s": cert.serial})
            return redirect("signatures:certificates")
    return certificates(request, form=form)
