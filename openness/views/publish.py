"""Pages of data officers and bureau reviewers: propose, review, withdraw (docs/features.md O2, O5, O6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import datastore
from catalog import selectors as catalog_selectors
from openness import selectors
from openness.forms import CommentForm, ProposalForm, ReasonForm, UploadForm
from openness.models import Dataset, DatasetVersion, Upload
from openness.services import publishing, uploads, usage
from portal.pages import refused
from portal.permissions import can
from portal.visibility import hidden_404, visible_or_404

PUBLISH = "portal.publish_open_data"


def _officer_or_403(request):
    user = request.user
    if not user.department_id or not can(user, PUBLISH, user.department):
        raise PermissionDenied
    return user


@login_required
def manage(request):
    user = _officer_or_403(request)
    return render(
        request,
        "openness/manage.html",
        {
            "datasets": selectors.datasets_managed_by(user),
            "proposals": selectors.proposals_of(user),
            "entries": selectors.entries_to_open(user),
            "upload_form": UploadForm(),
        },
    )


@login_required
def dataset_manage(request, pk):
    user = _officer_or_403(request)
    dataset = visible_or_404(selectors.datasets_managed_by(user), pk=pk)  # SECURITY.md 14.4: audited when hidden
    return render(
        request,
        "openness/dataset_manage.html",
        {
            "dataset": dataset,
            "versions": dataset.versions.select_related("proposed_by", "reviewed_by").order_by("-proposed_at"),
            "withdraw_form": ReasonForm(label=_("撤回原因")),
            "upload_form": UploadForm(),
        },
    )


def _propose(
    request, *, columns, sensitive, source: dict, dataset=None, fixed_open_type=None, defaults=None, source_label=""
):
    previous = None
    if dataset is not None and dataset.published_version is not None:
        previous = dataset.published_version
    elif dataset is not None:
        previous = dataset.versions.order_by("-proposed_at").first()
    initial = dict(defaults or {})
    if previous is not None:
        initial.update(
            {
                f: getattr(previous, f)
                for f in ("title", "summary", "theme", "update_frequency", "open_type", "open_condition")
            }
        )
    form_kwargs = {
        "columns": columns,
        "sensitive": sensitive,
        "fixed_open_type": fixed_open_type,
        "initial_items": previous.items if previous else None,
    }
    if request.method == "POST":
        form = ProposalForm(request.POST, initial=initial, **form_kwargs)
        if form.is_valid():
            with refused(request, form=form, permission_as_message=True):
                version = publishing.version_propose(
                    actor=request.user, metadata=form.metadata(), items=form.items(), dataset=dataset, **source
                )
                messages.success(request, _("已通过脱敏检查并提交大数据局审核。"))
                return redirect("openness:version", pk=version.pk)
        status = 400
    else:
        form = ProposalForm(initial=initial, **form_kwargs)
        status = 200
    preview = datastore.preview(source_table(source), columns, limit=5)
    return render(
        request,
        "openness/propose.html",
        {"form": form, "source_label": source_label, "preview": preview, "columns": columns, "dataset": dataset},
        status=status,
    )


def source_table(source: dict) -> str:
    if "entry" in source:
        from catalog.services.loads import latest_load

        return latest_load(source["entry"]).table_name
    return source["upload"].table_name


@login_required
def propose_entry(request, entry_pk):
    """Propose (or re-publish) a dataset from a catalog resource's latest loaded rows."""
    user = _officer_or_403(request)
    entry = visible_or_404(catalog_selectors.entries_of_department(user.department_id), pk=entry_pk)
    with refused(request, permission_as_message=True) as refusal:
        load, columns, sensitive = publishing.source_of_entry(entry)
    if refusal.error is not None:
        return redirect("openness:manage")
    dataset = Dataset.objects.filter(entry=entry).first()
    label = _("%(code)s %(name)s，数据版本 %(v)s，%(n)s 行") % {
        "code": entry.code,
        "name": entry.published_version.name,
        "v": load.data_version,
        "n": load.row_count,
    }
    return _propose(
        request,
        columns=columns,
        sensitive=sensitive,
        source={"entry": entry},
        dataset=dataset,
        fixed_open_type=entry.published_version.open_type,
        defaults=publishing.entry_defaults(entry),
        source_label=label,
    )


@login_required
def upload(request):
    """Upload a file to publish; next step: choose its items and masking rules."""
    user = _officer_or_403(request)
    dataset = None
    if request.GET.get("dataset"):
        dataset = visible_or_404(selectors.datasets_managed_by(user), pk=request.GET["dataset"], entry=None)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form, permission_as_message=True) as refusal:
            stored = uploads.upload_create(actor=user, department=user.department, upload=form.cleaned_data["file"])
            target = redirect("openness:propose_upload", upload_pk=stored.pk)
            if dataset is not None:  # a new version of an uploaded dataset
                target["Location"] += f"?dataset={dataset.pk}"
            return target
        for message in (refusal.error.errors or {}).get("file", [])[1:]:  # each finding also on top
            form.add_error(None, message)
    return render(
        request,
        "openness/upload.html",
        {"form": form, "dataset": dataset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def propose_upload(request, upload_pk):
    user = _officer_or_403(request)
    stored = visible_or_404(Upload.objects.filter(department_id=user.department_id), pk=upload_pk)
    dataset = None
    if request.GET.get("dataset"):
        dataset = visible_or_404(selectors.datasets_managed_by(user), pk=request.GET["dataset"], entry=None)
    columns = [datastore.Column(**c) for c in stored.columns]
    label = _("上传文件 %(f)s，%(n)s 行") % {"f": stored.filename, "n": stored.row_count}
    return _propose(
        request,
        columns=columns,
        sensitive=set(),
        source={"upload": stored},
        dataset=dataset,
        defaults={"title": stored.filename.rsplit(".", 1)[0], "update_frequency": "irregular"},
        source_label=label,
    )


def _version_or_404(request, pk) -> DatasetVersion:
    return visible_or_404(selectors.versions_reviewable_by(request.user), pk=pk)


@login_required
def version_detail(request, pk):
    """A version as its department and the reviewer see it: masked rows, masking rules, check result."""
    version = _version_or_404(request, pk)
    preview = []
    refusal = usage.read_notice(request.user, version)  # SECURITY.md 14.2: the one rule of row reads
    if refusal is None:
        preview = datastore.preview(version.table_name, version.datastore_columns, limit=20)
        usage.rows_shown(actor=request.user, version=version, rows=len(preview), page="review")
    return render(
        request,
        "openness/version_detail.html",
        {
            "version": version,
            "dataset": version.dataset,
            "preview": preview,
            "refusal": refusal,
            "may_review": can(request.user, publishing.REVIEW) and version.status == DatasetVersion.Status.SUBMITTED,
            "approve_form": CommentForm(),
            "return_form": ReasonForm(label=_("退回原因")),
        },
    )


@login_required
@require_POST
def version_approve(request, pk):
    version = _version_or_404(request, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    with refused(request, permission_as_message=True):
        publishing.version_approve(actor=request.user, version=version, comment=form.cleaned_data.get("comment", ""))
        messages.success(request, _("已审核通过并发布。"))
    return redirect("openness:version", pk=version.pk)


@login_required
@require_POST
def version_return(request, pk):
    version = _version_or_404(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refused(request, permission_as_message=True):
        publishing.version_return(actor=request.user, version=version, reasons=reason)
        messages.success(request, _("已退回。"))
    return redirect("openness:version", pk=version.pk)


@login_required
def review_queue(request):
    if not can(request.user, publishing.REVIEW):
        raise PermissionDenied
    from openness.models import Application

    rereviews = selectors.applications_for(request.user).filter(status=Application.Status.REREVIEW)
    return render(
        request,
        "openness/review_queue.html",
        {"versions": selectors.review_queue(request.user), "rereviews": rereviews},
    )


@login_required
@require_POST
def dataset_withdraw(request, pk):
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise hidden_404(Dataset, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refused(request, permission_as_message=True):
        publishing.dataset_withdraw(actor=request.user, dataset=dataset, reason=reason)
        messages.success(request, _("数据集已撤回，撤回公告已公开。"))
    return redirect("openness:dataset", pk=dataset.pk)


@login_required
@require_POST
def dataset_confirm_current(request, pk):
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise hidden_404(Dataset, pk)
    with refused(request, permission_as_message=True):
        publishing.dataset_confirm_current(actor=request.user, dataset=dataset, note=request.POST.get("note", ""))
        messages.success(request, _("已确认数据为最新，更新期限重新计算。"))
    return redirect("openness:dataset_manage", pk=dataset.pk)
