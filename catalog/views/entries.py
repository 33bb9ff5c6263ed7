"""Pages of the catalog. Thin: parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors
from catalog.compare import compare_versions
from catalog.forms import (
    DataItemFormSet,
    DutyChangeForm,
    EntryContentForm,
    ReasonForm,
    ReviewForm,
    UploadForm,
    items_from_formset,
)
from catalog.models import DataLoad, EntryVersion, UpdateDuty
from catalog.services import duties, entries, loads
from catalog.views.grades import grade_context, grade_history, grades_from_post
from portal.models import Department
from portal.pages import refused
from portal.permissions import can
from portal.visibility import hidden_404, visible_or_404


def _entry_or_404(request, pk):
    return visible_or_404(selectors.entries_visible_to(request.user), pk=pk)  # SECURITY.md 14.4: audited when hidden


@login_required
def entry_list(request):
    filters = {name: request.GET.get(name, "").strip()[:60] for name in selectors.FACETS}
    if filters["department"] and not filters["department"].isdigit():
        filters["department"] = ""
    sort = request.GET.get("sort", "relevance")
    q = request.GET.get("q", "").strip()[:100]
    result = selectors.search_versions(request.user, q=q, filters=filters, sort=sort)
    page = _CountedPaginator(result.versions, 20, count=result.total).get_page(request.GET.get("page"))
    departments = dict(
        Department.objects.filter(pk__in=[v for v, _n in result.facets.get("department", [])]).values_list("pk", "name")
    )
    return render(
        request,
        "catalog/list.html",
        {
            "page": page,
            "q": q,
            "filters": filters,
            "sort": sort,
            "facets": result.facets,
            "department_names": departments,
            "can_create": can(request.user, "portal.maintain_catalog") and request.user.department_id is not None,
            "query_string": _without_page(request),
        },
    )


class _CountedPaginator(Paginator):
    """A paginator given its count: the search counts its results with the facets, in one statement."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # instead of the cached_property's COUNT(*)


def _without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _edit(request, entry=None):
    version = entry.working_version if entry else None
    if request.method == "POST":
        form = EntryContentForm(request.POST, instance=version or EntryVersion())
        formset = DataItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            items = items_from_formset(formset)
            with refused(request, form=form, permission_as_message=True):
                if entry is None:
                    entry = entries.entry_create(
                        actor=request.user, department=request.user.department, content=form.content(), items=items
                    )
                    messages.success(request, _("资源已登记为草稿，代码 %(c)s。") % {"c": entry.code})
                else:
                    entries.version_update(actor=request.user, entry=entry, content=form.content(), items=items)
                    messages.success(request, _("已保存。"))
                return redirect("catalog:detail", pk=entry.pk)
    else:
        form = EntryContentForm(instance=version)
        initial = (
            list(
                version.items.values(
                    *[
                        "key",
                        "name",
                        "type",
                        "length",
                        "required",
                        "sensitive",
                        "description",
                        "grade_level",
                        "grade_category",
                    ]
                )
            )
            if version
            else []
        )
        formset = DataItemFormSet(prefix="items", initial=initial)
    return render(request, "catalog/edit.html", {"form": form, "formset": formset, "entry": entry})


@login_required
def entry_create(request):
    if request.user.department is None or not can(request.user, "portal.maintain_catalog", request.user.department):
        raise PermissionDenied
    return _edit(request)


@login_required
def entry_edit(request, pk):
    entry = _entry_or_404(request, pk)
    if not can(request.user, "portal.maintain_catalog", entry.department):
        raise PermissionDenied
    if entry.working_version is None or not entry.working_version.is_editable:
        messages.error(request, _("只有草稿或已退回的版本可以修改；已发布的资源请先发起修订。"))
        return redirect("catalog:detail", pk=pk)
    return _edit(request, entry)


@login_required
def entry_detail(request, pk):
    entry = _entry_or_404(request, pk)
    user = request.user
    may_working = selectors.may_see_working(user, entry)
    shown = entry.working_version if (may_working and entry.working_version) else entry.published_version
    details = selectors.may_see_details(user, entry)
    rows_allowed = selectors.may_see_rows(user, entry) and details
    latest = loads.latest_load(entry) if rows_allowed else None
    preview, preview_masked = [], set()
    if latest is not None:
        preview, preview_masked = loads.row_preview(actor=user, entry=entry, load=latest)
    maintain = can(user, "portal.maintain_catalog", entry.department)
    return render(
        request,
        "catalog/detail.html",
        {
            "entry": entry,
            "version": shown,
            "details": details,
            "may_working": may_working,
            "items": shown.items.all() if details else [],
            "versions": entry.versions.order_by("-number") if details else [],
            "loads": entry.loads.order_by("-created_at")[:20]
            if (maintain or can(user, "catalog.view_all_rows"))
            else [],
            "latest_load": latest,
            "preview": preview,
            "preview_columns": latest.columns if latest else [],
            "preview_masked": [c["name"] for c in latest.columns if c["key"] in preview_masked] if latest else [],
            "maintain": maintain,
            "review": can(user, "catalog.review_entryversion", entry),
            "remove_loads": can(user, "catalog.delete_dataload", entry),
            "reason_form": ReasonForm(),
            "review_form": ReviewForm(),
            "upload_form": UploadForm(),
            "open_duties": entry.update_duties.filter(status=UpdateDuty.Status.OPEN) if maintain else [],
            **(grade_context(shown, shown.items.all()) if details and shown is not None else {}),
            "grade_history": grade_history(user, entry) if details else [],
        },
    )


def _action(request, pk, call, success):
    entry = _entry_or_404(request, pk)
    with refused(request, permission_as_message=True):
        call(entry)
        messages.success(request, success)
    return redirect("catalog:detail", pk=pk)


@login_required
@require_POST
def entry_submit(request, pk):
    return _action(request, pk, lambda e: entries.entry_submit(actor=request.user, entry=e), _("已提交大数据局审核。"))


@login_required
@require_POST
def entry_approve(request, pk):
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""

    def approve(entry):
        items = entry.working_version.items.all() if entry.working_version else []
        entries.entry_approve(
            actor=request.user, entry=entry, comment=comment, grades=grades_from_post(request.POST, items)
        )

    return _action(request, pk, approve, _("审核通过，资源已发布。"))


@login_required
@require_POST
def entry_return(request, pk):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _action(
        request, pk, lambda e: entries.entry_return(actor=request.user, entry=e, reasons=reason), _("已退回部门修改。")
    )


@login_required
@require_POST
def entry_revise(request, pk):
    entry = _entry_or_404(request, pk)
    with refused(request, permission_as_message=True):
        entries.entry_revise(actor=request.user, entry=entry, change_note=request.POST.get("change_note", "")[:500])
        messages.success(request, _("已创建修订版本，修改后请提交审核。"))
        return redirect("catalog:edit", pk=pk)
    return redirect("catalog:detail", pk=pk)


@login_required
@require_POST
def entry_withdraw(request, pk):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _action(
        request,
        pk,
        lambda e: entries.entry_withdraw(actor=request.user, entry=e, reason=reason),
        _("资源已撤销，并在撤销公告中列出。"),
    )


@login_required
def version_detail(request, pk, number):
    entry = _entry_or_404(request, pk)
    if not selectors.may_see_details(request.user, entry):
        raise hidden_404(entry)
    version = visible_or_404(selectors.versions_visible_to(request.user, entry), entry=entry, number=number)
    return render(request, "catalog/version.html", {"entry": entry, "version": version, "items": version.items.all()})


@login_required
def version_compare(request, pk):
    entry = _entry_or_404(request, pk)
    if not selectors.may_see_details(request.user, entry):
        raise hidden_404(entry)
    visible = selectors.versions_visible_to(request.user, entry)
    try:
        a = visible.get(number=int(request.GET.get("a", 0)))
        b = visible.get(number=int(request.GET.get("b", 0)))
    except (ValueError, EntryVersion.DoesNotExist):
        messages.error(request, _("请选择两个要比较的版本。"))
        return redirect("catalog:detail", pk=pk)
    return render(request, "catalog/compare.html", {"entry": entry, "a": a, "b": b, "diff": compare_versions(a, b)})


@login_required
@require_POST
def load_upload(request, pk):
    entry = _entry_or_404(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("catalog:detail", pk=pk)
    with refused(request, permission_as_message=True):
        load = loads.load_start(actor=request.user, entry=entry, upload=form.cleaned_data["file"])
        return redirect("catalog:load", pk=load.pk)
    return redirect("catalog:detail", pk=pk)


def _load_for(request, pk):
    return visible_or_404(selectors.loads_visible_to(request.user), pk=pk)


@login_required
def load_detail(request, pk):
    load = _load_for(request, pk)
    progress = cache.get(loads.progress_key(load.pk)) if load.status == DataLoad.Status.PENDING else None
    template = "catalog/_load_status.html" if request.htmx else "catalog/load.html"
    return render(request, template, {"load": load, "progress": progress})


@login_required
@require_POST
def load_remove(request, pk):
    load = _load_for(request, pk)
    with refused(request, permission_as_message=True):
        loads.load_remove(actor=request.user, load=load)
        messages.success(request, _("数据版本已删除。"))
    return redirect("catalog:detail", pk=load.entry_id)


@login_required
def review_queue(request):
    if not can(request.user, "catalog.review_entryversion"):
        raise PermissionDenied
    waiting = (
        EntryVersion.objects.filter(status=EntryVersion.Status.SUBMITTED)
        .select_related("entry__department")
        .order_by("submitted_at")
    )
    return render(request, "catalog/review_queue.html", {"versions": waiting})


@login_required
def duty_list(request):
    user = request.user
    bureau = can(user, "catalog.add_dutychange")
    if not bureau and not can(user, "portal.maintain_catalog", user.department):
        raise PermissionDenied
    qs = UpdateDuty.objects.select_related("entry__department", "entry__published_version", "change")
    if not bureau:
        qs = qs.filter(entry__department=user.department)
    form = DutyChangeForm(request.POST or None) if bureau else None
    if bureau and request.method == "POST" and form.is_valid():
        with refused(request, form=form, permission_as_message=True):
            change = duties.duty_change_record(actor=user, **form.cleaned_data)
            messages.success(request, _("已登记，%(n)d 个资源须在期限内更新。") % {"n": change.duties.count()})
            return redirect("catalog:duties")
    return render(
        request,
        "catalog/duties.html",
        {
            "open": qs.filter(status=UpdateDuty.Status.OPEN).order_by("due_at"),
            "done": qs.filter(status=UpdateDuty.Status.DONE).order_by("-done_at")[:50],
            "form": form,
            "bureau": bureau,
        },
    )


@login_required
@require_POST
def duty_confirm(request, pk):
    duty = visible_or_404(selectors.duties_visible_to(request.user), pk=pk)
    with refused(request, permission_as_message=True):
        duties.duty_confirm_unchanged(actor=request.user, duty=duty, note=request.POST.get("note", "")[:500])
        messages.success(request, _("已确认无需变更。"))
    return redirect(reverse("catalog:duties"))


@login_required
def withdrawn_list(request):
    withdrawn = selectors.entries_visible_to(request.user).filter(withdrawn_at__isnull=False).order_by("-withdrawn_at")
    return render(request, "catalog/withdrawn.html", {"entries": withdrawn})
