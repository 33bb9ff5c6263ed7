"""DCAT-AP 3.0 of both catalogs, the theme scheme, robots.txt (issue 17 parts 1, 2 and 6).

Every document comes in JSON-LD, Turtle and RDF/XML, by suffix or by the Accept header; `?page=N` gives one
page of PAGE_SIZE datasets with hydra links, without it the whole catalog streams. The open-data catalog is
public; the share catalog is what the signed-in reader may list (its export is audited, Lhasa art. 39); the
province's copy (拉萨 art. 20, 河池 art. 12: levels connect) is the whole share catalog for the bureau admin.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.services import record
from interop.dcat import open_catalog, publisher, serialize, share_catalog, themes
from portal.errors import DomainError, NotFoundError
from portal.roles import Role

PAGE_SIZE = 500


def _chinese():
    """Catalog literals are tagged zh (vocab.context): built in Chinese whatever the page language."""
    return translation.override(settings.LANGUAGE_CODE)


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _format(request, fmt: str | None) -> str:
    return fmt or serialize.negotiate(request.headers.get("Accept", ""))


def _page(request, total: int) -> tuple[int | None, int]:
    raw = request.GET.get("page")
    last = max(1, math.ceil(total / PAGE_SIZE))
    if raw is None:
        return None, last
    if not raw.isdigit() or int(raw) < 1:
        raise DomainError(_("页码必须是正整数。"), code="invalid_page")
    if int(raw) > last:
        raise NotFoundError(_("没有这一页：目录共 %(last)s 页。") % {"last": last})
    return int(raw), last


def _respond(fmt: str, base: str, catalog: dict, datasets, *, filename: str | None = None):
    response = StreamingHttpResponse(
        serialize.stream(fmt, base, catalog, datasets), content_type=f"{serialize.FORMATS[fmt]}; charset=utf-8"
    )
    response["Vary"] = "Accept"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _paged(request, url: str, catalog: dict, total: int):
    page, last = _page(request, total)
    if page is None:
        return catalog, 0, None
    return {**catalog, **serialize.paging(url, page, last, total)}, (page - 1) * PAGE_SIZE, PAGE_SIZE


@require_GET
def open_catalog_view(request, fmt: str | None = None):
    """The open-data catalog (public)."""
    fmt, base = _format(request, fmt), base_url(request)
    url = base + reverse("dcat:open_catalog")
    with _chinese():
        catalog = open_catalog.catalog_node(base, url, publisher.bureau(base))
    catalog, offset, limit = _paged(request, url, catalog, open_catalog.count())
    return _respond(fmt, base, catalog, open_catalog.dataset_nodes(base, offset=offset, limit=limit))


@require_GET
@login_required
def share_catalog_view(request, fmt: str | None = None):
    """The share catalog, as far as the reader may list it."""
    fmt, base = _format(request, fmt), base_url(request)
    url = base + reverse("dcat:share_catalog")
    with _chinese():
        catalog = share_catalog.catalog_node(base, url, publisher.bureau(base))
    catalog, offset, limit = _paged(request, url, catalog, share_catalog.count(request.user))
    record("catalog.export", actor=request.user, detail={"format": f"dcat-{fmt}", "page": request.GET.get("page")})
    return _respond(fmt, base, catalog, share_catalog.dataset_nodes(base, request.user, offset=offset, limit=limit))


@require_GET
@login_required
def province_export(request, fmt: str):
    """The city's whole share catalog for the province's catalog (bureau admin only)."""
    if not request.user.has_role(Role.BUREAU_ADMIN):
        raise PermissionDenied
    base = base_url(request)
    with _chinese():
        catalog = share_catalog.catalog_node(base, base + reverse("dcat:share_catalog"), publisher.bureau(base))
    record("catalog.export", actor=request.user, detail={"format": f"dcat-{fmt}", "for": "province"})
    name = f"catalog-province-{timezone.localdate():%Y%m%d}"
    return _respond(fmt, base, catalog, share_catalog.dataset_nodes(base, request.user), filename=name)


def share_jsonld(*, user, base_url: str):
    """catalog:export_dcat and the catalog API's ?format=jsonld (catalog.exports hands them here). One piece:
    the share catalog holds the city's resources (thousands, not the open catalog's 100,000), and its callers
    read it whole; /catalog/dcat streams and pages it."""
    with _chinese():
        catalog = share_catalog.catalog_node(
            base_url, base_url + reverse("dcat:share_catalog"), publisher.bureau(base_url)
        )
    body = b"".join(serialize.stream("jsonld", base_url, catalog, share_catalog.dataset_nodes(base_url, user)))
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


@require_GET
def theme_scheme(request, fmt: str | None = None):
    """The portal's theme scheme (skos:ConceptScheme), public."""
    fmt, base = _format(request, fmt), base_url(request)
    nodes = [themes.scheme_node(base), *themes.concept_nodes(base)]
    response = HttpResponse(
        serialize.document(fmt, base, nodes), content_type=f"{serialize.FORMATS[fmt]}; charset=utf-8"
    )
    response["Vary"] = "Accept"
    return response
