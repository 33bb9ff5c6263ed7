"""Public pages (spec O1, O3): no sign-in needed to browse, search, preview and download."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalog import datastore
from openness import downloads, selectors
from openness.conf import setting
from openness.models import OpenKind
from openness.services import usage
from portal.errors import DomainError
from portal.models import Department


def _query_string(request, drop=("page",)):
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


@require_safe
def dataset_list(request):
    filters = {name: request.GET.get(name, "").strip()[:60] for name in selectors.FACETS}
    if filters["department"] and not filters["department"].isdigit():
        filters["department"] = ""
    sort = request.GET.get("sort", "relevance")
    if sort not in selectors.SORTS:
        sort = "relevance"
    q = request.GET.get("q", "").strip()[:100]
    result = selectors.search_datasets(q=q, filters=filters, sort=sort)
    page = Paginator(result.datasets, 20).get_page(request.GET.get("page"))
    departments = dict(Department.objects.filter(pk__in=[v for v, _n in result.facets.get("department", [])])
                       .values_list("pk", "name"))
    return render(request, "openness/dataset_list.html", {
        "page": page, "q": q, "filters": filters, "sort": sort, "facets": result.facets,
        "department_names": departments, "query_string": _query_string(request),
    })


def _dataset_or_404(pk):
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise Http404
    return dataset


@require_safe
def dataset_detail(request, pk):
    dataset = _dataset_or_404(pk)
    version = dataset.published_version
    allowed = selectors.may_download(request.user, dataset)
    preview = []
    if allowed:
        preview = datastore.preview(version.table_name, version.datastore_columns, limit=setting("PREVIEW_ROWS"))
    application = None
    if request.user.is_authenticated and version.open_type == OpenKind.ON_APPLICATION:
        application = dataset.applications.filter(applicant=request.user).order_by("-submitted_at").first()
    return render(request, "openness/dataset_detail.html", {
        "dataset": dataset, "version": version, "preview": preview, "allowed": allowed,
        "history": selectors.history(dataset), "formats": usage.FORMATS, "application": application,
        "may_manage": selectors.may_manage(request.user, dataset),
    })


@require_safe
def download(request, pk, fmt, number=None):
    """Lhasa art. 30: 无条件开放 data is downloaded directly; each download is audited and counted."""
    dataset = _dataset_or_404(pk)
    version = dataset.published_version if number is None else selectors.version_public(dataset, number)
    if version is None or fmt not in usage.FORMATS:
        raise Http404
    try:
        usage.download_start(actor=request.user, dataset=dataset, version=version, fmt=fmt)
    except DomainError as error:
        return render(request, "openness/download_refused.html",
                      {"dataset": dataset, "version": version, "message": error.message, "code": error.code},
                      status=error.status_code)
    return downloads.response(version, fmt)


@require_safe
def negative_list(request):
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.negative_list(q=q), 30).get_page(request.GET.get("page"))
    return render(request, "openness/negative_list.html", {"page": page, "q": q,
                                                            "query_string": _query_string(request)})


@require_safe
def withdrawn_list(request):
    page = Paginator(selectors.withdrawn_notices(), 30).get_page(request.GET.get("page"))
    return render(request, "openness/withdrawn_list.html", {"page": page, "query_string": ""})


@require_safe
def guide(request):
    """How to use the open data and its API (public)."""
    return render(request, "openness/guide.html", {"limits": {"key": setting("RATE_KEY_PER_MINUTE"),
                                                              "anon": setting("RATE_ANONYMOUS_PER_MINUTE")}})
