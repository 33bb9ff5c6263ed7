"""The auditor's pages: search, filter, open and export the log (A4); integrity status (A3); a
department's usage log (A5). Lhasa art. 39 (separation of duties), 41 and 43. Every page view is
itself recorded in the log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.export_response import export_response
from audit.filters import AuditEntryFilter
from audit.labels import action_label, object_type_label
from audit.models import AuditBlock, AuditEntry, AuditVerification, Outcome, VerificationJob
from audit.pagination import keyset_page, numbered_page
from audit.selectors import entries_for, integrity_status, usage_entries
from audit.services import record
from audit.services.canonical import ENTRY_DIGEST_SQL, split_digests
from audit.services.heads import head_file
from audit.services.verification_detail import SHOWN, findings
from audit.services.verification_jobs import verification_start
from audit.usage_forms import UsageQueryForm
from portal.errors import DomainError
from portal.permissions import can
from portal.trail import object_url
from portal.visibility import visible_or_404


def _refuse(action: str, request):
    record(action, outcome=Outcome.DENIED, detail={"path": request.path[:300]})
    raise PermissionDenied


def _error(request, message, status=400):
    return render(request, "errors/error.html", {"message": message, "status": status}, status=status)


@require_GET
@login_required
def audit_log(request):
    """Search and filter the log; newest first, numbered pages over a capped count, keyset beyond it.
    Auditors only (Lhasa art. 39). Actions and object types in words (issue 19, part 8)."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.view", request)
    filterset = AuditEntryFilter(request.GET, queryset=entries_for(user=request.user))
    context = {
        "filter": filterset,
        "page": [],
        "pager": None,
        "next_cursor": None,
        "query": _query_without_cursor(request),
    }
    status = 200
    if filterset.is_valid():
        try:
            if request.GET.get("cursor"):
                context["page"], context["next_cursor"] = keyset_page(filterset.qs, cursor=request.GET["cursor"])
            else:
                context["pager"] = numbered_page(filterset.qs, page=_page_number(request))
                context["page"], context["next_cursor"] = context["pager"].rows, context["pager"].next_cursor
        except ValueError:
            return _error(request, _("分页参数无效，请从第一页重新查询。"))
        _label(context["page"])
    else:
        status = 400
    record(
        "audit.view",
        detail={
            "filters": filterset.applied(),
            "page": bool(request.GET.get("cursor")) or request.GET.get("page", "1") != "1",
            "valid": status == 200,
        },
    )
    return render(request, "audit/log.html", context, status=status)


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not value.isdigit() or len(value) > 6:
        raise ValueError("page")
    return int(value)


def _label(entries) -> None:
    """The words the page shows for each entry: the action's and the object type's names, the object's
    page where its app declared one (portal.trail.object_url), the providing department's name."""
    owners = _department_names({e.owner_department_id for e in entries if e.owner_department_id})
    for e in entries:
        e.action_label = action_label(e.action)
        e.object_type_label = object_type_label(e.object_type)
        e.object_url = object_url(e.object_type, e.object_id)
        e.owner_department_name = owners.get(e.owner_department_id, "")


def _department_names(ids) -> dict[int, str]:
    from portal.models import Department

    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    query.pop("fmt", None)
    return query.urlencode()


@require_GET
@login_required
def entry_detail(request, pk: int):
    """One entry in full, with its seal: the block that holds it and whether it still matches."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.entry.view", request)
    entry = visible_or_404(entries_for(user=request.user), pk=pk)  # SECURITY.md 14.4
    record("audit.entry.view", target=entry)
    _label([entry])
    window = timezone.timedelta(hours=1)
    related = (
        AuditEntry.objects.filter(
            request_id=entry.request_id,
            occurred_at__gte=entry.occurred_at - window,
            occurred_at__lte=entry.occurred_at + window,
        )
        .exclude(pk=entry.pk)
        .order_by("occurred_at", "id")[:20]
        if entry.request_id
        else []
    )
    return render(request, "audit/entry.html", {"entry": entry, "seal": _seal_of(entry), "related": related})


def _seal_of(entry: AuditEntry) -> dict:
    block = AuditBlock.objects.filter(
        txid_lo__lte=entry.txid, txid_hi__gt=entry.txid, entry_ids__contains=[entry.pk]
    ).first()
    if block is None:
        return {"sealed": False}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE id = %s AND occurred_at = %s",
            [entry.pk, entry.occurred_at],
        )
        current = bytes(cursor.fetchone()[0])
    stored = split_digests(bytes(block.entry_digests))[list(block.entry_ids).index(entry.pk)]
    return {"sealed": True, "block": block, "intact": current == stored, "digest": current.hex()}


@require_GET
@login_required
def export(request):
    """CSV or Excel of the filtered log; the export is itself recorded (Lhasa art. 41)."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.export", request)
    fmt = request.GET.get("fmt", "csv")
    filterset = AuditEntryFilter(request.GET, queryset=entries_for(user=request.user))
    if not filterset.is_valid():
        record("audit.export", outcome=Outcome.FAILURE, detail={"format": fmt[:10], "reason": "invalid filters"})
        return _error(request, _("筛选条件有误：%(errors)s") % {"errors": _errors_text(filterset)})
    queryset = filterset.qs.order_by("-occurred_at", "-id")
    try:
        return export_response(actor=request.user, queryset=queryset, fmt=fmt, filters=filterset.applied())
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        return _error(request, exc.message)


def _errors_text(filterset) -> str:
    parts = []
    for name, errors in filterset.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        parts.append(f"{label}：{'；'.join(errors)}")
    return "；".join(parts)


@require_GET
@login_required
def integrity(request):
    """When the chain was last verified and what was found (the bureau sees it too, without entries)."""
    if not can(request.user, "audit.view_auditverification"):
        _refuse("audit.integrity.view", request)
    record("audit.integrity.view")
    context = integrity_status()
    context["show_ids"] = can(request.user, "audit.view_auditentry")
    context["stale"] = _stale(context["verification"])
    context["open_job"] = (
        VerificationJob.objects.filter(status__in=(VerificationJob.Status.QUEUED, VerificationJob.Status.RUNNING))
        .order_by("-created_at")
        .first()
        if context["show_ids"]
        else None
    )
    return render(request, "audit/integrity.html", context)


def _stale(verification) -> bool:
    return verification is None or verification.finished_at < timezone.now() - timezone.timedelta(days=2)


@require_GET
@login_required
def head_file_download(request):
    """The auditors' copy of the daily chain heads."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.heads.download", request)
    path = head_file()
    record("audit.heads.download", detail={"file": str(path), "exists": path.exists()})
    content = path.read_bytes() if path.exists() else b""
    response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response


@require_GET
@login_required
def usage(request):
    """The usage log of the user's own department: who used its data, and its own use (Lhasa art. 41, S8)."""
    user = request.user
    if not can(user, "audit.view_usage") or user.department_id is None:
        _refuse("audit.usage.view", request)
    form = UsageQueryForm(request.GET or {"role": "provider"})
    page, next_cursor, status = [], None, 200
    if form.is_valid():
        entries = usage_entries(
            department=user.department,
            role=form.cleaned_data["role"],
            since=form.since_moment(),
            until=form.until_moment(),
        )
        try:
            page, next_cursor = keyset_page(entries, cursor=request.GET.get("cursor"))
        except ValueError:
            return _error(request, _("分页参数无效，请从第一页重新查询。"))
    else:
        status = 400
    record(
        "audit.usage.view",
        target=user.department,
        detail={k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items()},
    )
    return render(
        request,
        "audit/usage.html",
        {"form": form, "page": page, "next_cursor": next_cursor, "query": _query_without_cursor(request)},
        status=status,
    )


@require_POST
@login_required
def verify_start(request):
    """立即校验: queue a verification of the whole chain now (Lhasa art. 43); the page then polls the job."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.verify.start", request)
    job = verification_start(actor=request.user)
    if request.htmx:
        return render(request, "audit/_verify_job.html", {"job": job, "poll": True})
    return redirect("audit:verify_job", pk=job.pk)


@require_GET
@login_required
def verify_job(request, pk: int):
    """The job's state (htmx polls it every two seconds while it runs), then its result."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.verify.view", request)
    job = get_object_or_404(VerificationJob, pk=pk)
    verification = AuditVerification.objects.filter(pk=job.verification_id).first() if job.verification_id else None
    context = {"job": job, "verification": verification, "poll": not job.finished}
    if request.htmx:
        return render(request, "audit/_verify_job.html", context)
    record("audit.verify.view", target=job)
    return render(request, "audit/verify_job.html", context)


@require_GET
@login_required
def verification_detail(request, pk: int):
    """One verification run and, when it failed, what failed: each altered, removed or inserted entry with
    the digest its block sealed and the one its row gives now; the block and head problems in words."""
    if not can(request.user, "audit.view_auditentry"):
        _refuse("audit.verify.view", request)
    verification = get_object_or_404(AuditVerification, pk=pk)
    record("audit.verify.view", target=verification)
    context = {"verification": verification, "findings": [] if verification.ok else findings(verification)}
    context["shown"] = SHOWN
    return render(request, "audit/verification.html", context)
