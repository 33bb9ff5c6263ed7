"""Public pages (docs/features.md O1, O3): no sign-in needed to browse, search, preview and download."""

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
from openness.models import Dataset, OpenKind
from openness.services import apikeys, usage
from portal.errors import DomainError
from portal.models import Department
from portal.visibility import hidden_404


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
    departments = dict(
        Department.objects.filter(pk__in=[v for v, _n in result.facets.get("department", [])]).values_list("pk", "name")
    )
    return render(
        request,
        "openness/dataset_list.html",
        {
            "page": page,
            "q": q,
            "filters": filters,
            "sort": sort,
            "facets": result.facets,
            "department_names": departments,
            "query_string": _query_string(request),
            "search": result.notes,  # issue 18 part 8: fallback notice, suggestions, words to mark
        },
    )


def _dataset_or_404(pk):
    dataset = selectors.dataset_public(pk)
    if dataset is None:
        raise hidden_404(Dataset, pk)  # SECURITY.md 14.4: a dataset never published is audited when asked for
    return dataset


@require_safe
def dataset_detail(request, pk):
    dataset = _dataset_or_404(pk)
    version = dataset.published_version
    refusal = usage.read_notice(request.user, version)
    preview = []
    if refusal is None:
        preview = datastore.preview(version.table_name, version.datastore_columns, limit=setting("PREVIEW_ROWS"))
        usage.rows_shown(actor=request.user, version=version, rows=len(preview), page="dataset")
    application = None
    if request.user.is_authenticated and version.open_type == OpenKind.ON_APPLICATION:
        application = dataset.applications.filter(applicant=request.user).order_by("-submitted_at").first()
    # each version of the history offers its downloads only if the rule lets this visitor read it
    history = [(old, usage.read_notice(request.user, old)) for old in selectors.history(dataset)]
    return render(
        request,
        "openness/dataset_detail.html",
        {
            "dataset": dataset,
            "version": version,
            "preview": preview,
            "allowed": refusal is None,
            "refusal": refusal,
            "history": history,
            "formats": usage.FORMATS,
            "application": application,
            "may_apply": selectors.accepts_applications(dataset),
            "may_manage": selectors.may_manage(request.user, dataset),
        },
    )


class KeyRefusedError(DomainError):
    status_code = 401
    default_code = "invalid_key"


class RateLimitedError(DomainError):
    status_code = 429
    default_code = "throttled"

    def __init__(self, message, *, wait: int):
        super().__init__(message)
        self.wait = max(1, int(wait or 1))


def _key_holder(request, dataset):
    """The signed-in user, or the holder of the API key the request carries (None: anonymous), with
    the key's rate limit applied. A key that is unknown or revoked is refused (and audited), never
    taken for an anonymous download."""
    if request.user.is_authenticated:
        return request.user, None
    raw = presented_key(request)
    if not raw:
        # SECURITY.md 14.11: anonymous web downloads count against the API's anonymous limit of the
        # address (one bucket for both ways in), so a script cannot bypass it through the pages
        _limit(request, dataset, ratelimit.api_limits(key_id=None, address=getattr(request, "client_ip", None)))
        return None, None
    checked = apikeys.check(raw)
    if checked.key is None:
        code = "key_expired" if checked.refusal == "expired" else "invalid_key"
        record(
            "openness.download",
            outcome=Outcome.DENIED,
            target=dataset,
            detail={"reason": code, "prefix": apikeys.parse(raw) or ""},
        )
        raise KeyRefusedError(checked.message, code=code)
    key = checked.key
    _limit(request, dataset, ratelimit.api_limits(key_id=key.pk, address=getattr(request, "client_ip", None)), key=key)
    return key.user, key


def _limit(request, dataset, limits, *, key=None) -> None:
    """Count the download; over the limit: 429, the window's first refusal audited (as the API does)."""
    decision = ratelimit.hit(limits)
    if decision.allowed:
        return
    if decision.first_refusal:
        record(
            "openness.download",
            actor=key.user if key else None,
            outcome=Outcome.DENIED,
            target=dataset,
            detail={
                "reason": "rate_limited",
                "limits": decision.exceeded,
                "key": key.prefix if key else "",
                "path": request.path[:200],
            },
        )
    raise RateLimitedError(_("下载过于频繁，请 %(n)d 秒后再试。") % {"n": decision.wait}, wait=decision.wait)


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
        usage.download_start(
            actor=actor, dataset=dataset, version=version, fmt=fmt, channel="api" if key is not None else "web"
        )
    except DomainError as error:
        answer = render(
            request,
            "openness/download_refused.html",
            {
                "dataset": dataset,
                "version": version,
                "message": error.message,
                "code": error.code,
                "may_apply": selectors.accepts_applications(dataset),
            },
            status=error.status_code,
        )
        if isinstance(error, RateLimitedError):
            answer["Retry-After"] = str(error.wait)
        return answer
    return downloads.response(version, fmt)


@require_safe
def negative_list(request):
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.negative_list(q=q), 30).get_page(request.GET.get("page"))
    return render(
        request, "openness/negative_list.html", {"page": page, "q": q, "query_string": _query_string(request)}
    )


@require_safe
def withdrawn_list(request):
    page = Paginator(selectors.withdrawn_notices(), 30).get_page(request.GET.get("page"))
    return render(request, "openness/withdrawn_list.html", {"page": page, "query_string": ""})


@require_safe
def guide(request):
    """How to use the open data and its API (public)."""
    return render(
        request,
        "openness/guide.html",
        {
            "limits": {
                "key": setting("RATE_KEY_PER_MINUTE"),
                "anon": setting("RATE_ANONYMOUS_PER_MINUTE"),
                "key_days": setting("API_KEY_DAYS"),
            }
        },
    )
