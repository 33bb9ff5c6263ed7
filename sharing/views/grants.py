"""Pages of grants: details, use in exactly the granted mode (htmx answers in place), revocation.

Every use page first checks that the caller's department holds the grant (SECURITY.md 22.3: another
department's grant is a recorded 403, an id that does not exist a 404), then the rate limits
(SECURITY.md 14.6), then calls the use service. Query filters are posted (SECURITY.md 14.14: masked values stay
out of URLs and access logs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import DomainError, NotFoundError
from portal.pages import refused
from portal.visibility import visible_or_404
from sharing import selectors, throttles
from sharing.forms import CompareForm, ReasonForm, StatisticsForm
from sharing.models import Grant, Mode
from sharing.services import grants, limits, use
from sharing.services.refusals import QuotaExceededError
from sharing.views.applications import labels_of


def grant_or_404(request, pk) -> Grant:
    return visible_or_404(selectors.grants_visible_to(request.user), pk=pk)


def _grant_to_use(request, pk, mode: str) -> Grant:
    """After the rate limits (as the API, so a flood of probes is cut short too), the grant if the caller's
    department holds it; else a recorded 403 not_holder (PermissionDeniedError, answered by `refusals`),
    or a 404 for an id that does not exist."""
    wait = throttles.wait_for(request=request, grant_id=pk, mode=mode)
    if wait is not None:
        raise QuotaExceededError(
            _("请求过于频繁，请 %(n)d 秒后再试。") % {"n": wait}, code="throttled", retry_after=wait
        )
    try:
        use.grant_for_use(actor=request.user, grant_id=pk, mode=mode, channel="web")
    except NotFoundError:
        raise Http404 from None
    return grant_or_404(request, pk)


def _context(request, grant, **extra):
    version = grant.application.entry_version
    holder = request.user.department_id == grant.holder_department_id
    return {
        "grant": grant,
        "labels": labels_of(version),
        "version": version,
        "holder": holder,
        "revoke": grant.status == Grant.Status.ACTIVE and grants.may_revoke(request.user, grant),
        "revoke_form": ReasonForm(),
        "compare_form": extra.pop("compare_form", None) or CompareForm(grant=grant, version=version),
        "statistics_form": extra.pop("statistics_form", None) or StatisticsForm(grant=grant, version=version),
        "used_today": limits.used_today(grant) if holder else None,
        "uses": grant.uses.select_related("user")[:20],
        "objections": grant.objections.all(),
        **extra,
    }


def _answer(request, grant, partial: str, **context):
    """htmx asks for the result fragment; a plain form post gets the whole page with the result."""
    error = context.get("error")
    if request.htmx:  # htmx swaps 2xx answers only: the refusal is shown in place
        response = render(request, partial, {"grant": grant, **context})
    else:
        response = render(
            request,
            "sharing/grant.html",
            _context(request, grant, result_template=partial, **context),
            status=error.status_code if error is not None else 200,
        )
    if isinstance(error, QuotaExceededError):
        response["Retry-After"] = str(error.retry_after)
    return response


@login_required
def grant_detail(request, pk):
    return render(request, "sharing/grant.html", _context(request, grant_or_404(request, pk)))


def _filters(data) -> dict:
    return {k[2:]: v for k, v in data.items() if k.startswith("f_") and v.strip()}


@login_required
@require_http_methods(["GET", "POST"])
def grant_query(request, pk):
    grant = _grant_to_use(request, pk, Mode.QUERY)
    data = request.POST if request.method == "POST" else request.GET
    try:
        page = int(data.get("page", "1"))
    except ValueError:
        page = 0
    filters = _filters(data)
    try:
        result = use.grant_query(
            actor=request.user,
            grant=grant,
            filters=filters,
            page=page,
            page_size=20,
            channel="web",
            filters_in_url=request.method == "GET",
        )
    except DomainError as error:
        return _answer(request, grant, "sharing/_use_error.html", error=error)
    pages = (result["count"] + 19) // 20
    return _answer(request, grant, "sharing/_query_result.html", result=result, pages=pages, filters=filters)


@login_required
@require_POST
def grant_compare(request, pk):
    grant = _grant_to_use(request, pk, Mode.COMPARE)
    form = CompareForm(request.POST, grant=grant, version=grant.application.entry_version)
    if not form.is_valid():
        return _answer(
            request,
            grant,
            "sharing/_use_error.html",
            error=DomainError(_("请选择关键信息项并填写其值。")),
            compare_form=form,
        )
    try:
        result = use.grant_compare(
            actor=request.user,
            grant=grant,
            key=form.cleaned_data["key"],
            key_value=form.cleaned_data["key_value"],
            values=form.values(),
            channel="web",
        )
    except DomainError as error:
        return _answer(request, grant, "sharing/_use_error.html", error=error, compare_form=form)
    return _answer(
        request,
        grant,
        "sharing/_compare_result.html",
        result=result,
        labels=labels_of(grant.application.entry_version),
        compare_form=form,
    )


@login_required
def grant_statistics(request, pk):
    grant = _grant_to_use(request, pk, Mode.STATISTICS)
    form = StatisticsForm(request.GET, grant=grant, version=grant.application.entry_version)
    if not form.is_valid():
        return _answer(
            request, grant, "sharing/_use_error.html", error=DomainError(_("统计条件无效。")), statistics_form=form
        )
    try:
        result = use.grant_statistics(
            actor=request.user,
            grant=grant,
            group_by=form.cleaned_data["group_by"],
            measures=form.parsed_measures(),
            channel="web",
        )
    except DomainError as error:
        return _answer(request, grant, "sharing/_use_error.html", error=error, statistics_form=form)
    labels = labels_of(grant.application.entry_version)
    return _answer(
        request,
        grant,
        "sharing/_statistics_result.html",
        result=result,
        labels=labels,
        group_keys=form.cleaned_data["group_by"],
        measure_names=[
            (f"{f}_{k}", "{} {}".format(labels.get(k, k), _("合计") if f == "sum" else _("平均")))
            for f, k in form.parsed_measures()
        ],
        statistics_form=form,
    )


@login_required
def grant_pull(request, pk, fmt):
    grant = _grant_to_use(request, pk, Mode.PULL)
    with refused(request):  # a rate limit goes on to the 429 page
        pull = use.grant_pull(actor=request.user, grant=grant, fmt=fmt, channel="web")
        response = StreamingHttpResponse(pull.chunks, content_type=pull.content_type)
        response["Content-Disposition"] = f'attachment; filename="{pull.filename}"'
        return response
    return redirect("sharing:grant", pk=pk)


@login_required
@require_POST
def grant_revoke(request, pk):
    grant = grant_or_404(request, pk)
    form = ReasonForm(request.POST)
    with refused(request):
        grants.grant_revoke(
            actor=request.user, grant=grant, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
        messages.success(request, _("授权已撤销，立即生效。"))
    return redirect("sharing:grant", pk=pk)
