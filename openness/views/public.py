"""Public pages (spec O1, O3): no sign-in needed to browse, search, preview and download."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from audit.models import Outcome
from audit.services import record
from catalog import datastore
from openness import downloads, ratelimit, selectors
from openness.api.authentication import presented_key
from openness.conf import setting
from openness.models import OpenKind
from openness.services import apikeys, usage
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


class KeyRefusedError(DomainError):
    status_code = 401
    default_code = "invalid_key"


class RateLimitedError(DomainError):
    status_code = 429
    default_code = "throttled"


def _key_holder(request, dataset):
    """The signed-in user, or the holder of the API key the request carries (None: anonymous), with
    the key's rate limit applied. A key that is unknown or revoked is refused (and audited), never
    taken for an anonymous download."""
    if request.user.is_authenticated:
        return request.user, None
    raw = presented_key(request)
    if not raw:
        return None, None
    key = apikeys.authenticate(raw)
    if key is None or not key.user.is_active:
        record("openness.download", outcome=Outcome.DENIED, target=dataset,
               detail={"reason": "invalid_key", "prefix": apikeys.parse(raw) or ""})
        raise KeyRefusedError(_("接口密钥无效或已撤销。"))
    decision = ratelimit.hit(ratelimit.api_limits(key_id=key.pk, address=getattr(request, "client_ip", None)))
    if not decision.allowed:
        if decision.first_refusal:
            record("openness.download", actor=key.user, outcome=Outcome.DENIED, target=dataset,
                   detail={"reason": "rate_limited", "key": key.prefix})
        raise RateLimitedError(_("请求过于频繁，请 %(n)d 秒后再试。") % {"n": decision.wait})
    return key.user, key


@require_GET
def download(request, pk, fmt, number=None):
    """Lhasa art. 30: 无条件开放 data is downloaded directly; each download is audited and counted.
    API clients may send their key (X-API-Key) to download what their applications opened."""
    dataset = _dataset_or_404(pk)
    version = dataset.published_version if number is None else selectors.version_public(dataset, number)
    if version is None or fmt not in usage.FORMATS:
        raise Http404
    try:
        actor, key = _key_holder(request, dataset)
        usage.download_start(actor=actor, dataset=dataset, version=version, fmt=fmt,
                             channel="api" if key is not None else "web")
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
