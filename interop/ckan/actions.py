"""The read actions of CKAN's action API over the portal's open data (issue 17 part 3), as CKAN's
ckan/logic/action/get.py names and shapes them. Every read goes through openness.selectors: what
the public open-data pages and API list is what a CKAN client sees, nothing more."""

from __future__ import annotations

import re

from django.db.models import Count
from django.utils.translation import gettext as _

from interop.ckan import packages, params
from interop.ckan.conf import setting
from interop.ckan.params import invalid, not_found
from openness import selectors
from openness.services.usage import FORMATS
from portal.models import Department

# CKAN facet and filter fields -> the open-data search's facets (openness.selectors.FACETS)
FACET_FIELDS = {
    "organization": "department",
    "groups": "theme",
    "open_type": "open_type",
    "update_frequency": "update_frequency",
    "data_format": "data_format",
}
FILTER_FIELDS = {*FACET_FIELDS, "tags", "res_format", "license_id", "name", "id"}
SORTS = {
    "score desc": "relevance",
    "metadata_modified desc": "newest",
    "metadata_created desc": "newest",
    "title_string asc": "name",
    "name asc": "name",
    "title asc": "name",
    "downloads desc": "downloads",
    "views_recent desc": "downloads",
}
FQ_TERM = re.compile(r'\+?(?P<field>[a-z_]+):(?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s"]+))')


def status_show(request, p: dict) -> dict:
    return {
        "ckan_version": setting("CKAN_VERSION"),
        "site_title": _("政务数据开放平台"),
        "site_description": _("无条件开放与依申请开放的政务数据集"),
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "locale_default": "zh_Hans_CN",
        "error_emails_to": None,
        "extensions": ["datastore"],
    }


def package_list(request, p: dict) -> list[str]:
    limit = params.integer(p, "limit", setting("ROWS_MAX"), minimum=1, maximum=setting("ROWS_MAX"))
    offset = params.integer(p, "offset", 0, minimum=0, maximum=10**9)
    names = selectors.public_datasets().order_by("id").values_list("id", flat=True)[offset : offset + limit]
    return [f"{packages.PREFIX}{pk}" for pk in names]


def _filter_query(fq: str) -> tuple[dict, dict]:
    """fq's terms (field:value or field:"value", AND between them) as the search's facet filters
    and the remaining filters ({"tags": [...], ...}). An unknown field is a Validation Error."""
    facet_filters: dict = {}
    other: dict = {}
    rest = FQ_TERM.sub(" ", fq).replace("AND", " ").strip()
    if rest:
        raise invalid("fq", _("无法解析的筛选条件：%(rest)s") % {"rest": rest[:60]})
    for match in FQ_TERM.finditer(fq):
        field, value = match["field"], match["quoted"] if match["quoted"] is not None else match["plain"]
        if field not in FILTER_FIELDS:
            raise invalid("fq", _("不支持按「%(field)s」筛选。") % {"field": field})
        if field == "organization":
            department = Department.objects.filter(code=value).only("pk").first()
            facet_filters["department"] = str(department.pk) if department else "0"
        elif field in FACET_FIELDS:
            facet_filters[FACET_FIELDS[field]] = value
        else:
            other.setdefault(field, []).append(value)
    return facet_filters, other


def _narrow(qs, other: dict):
    for value in other.get("tags", []):
        qs = qs.filter(published_version__columns__contains=[{"name": value}])
    for value in other.get("res_format", []):
        if value.lower() not in FORMATS:
            qs = qs.none()
    for value in other.get("license_id", []):
        if value != setting("LICENSE_ID"):
            qs = qs.none()
    for field in ("name", "id"):
        for value in other.get(field, []):
            pk = packages.dataset_pk(value)
            qs = qs.filter(pk=pk) if pk is not None else qs.none()
    return qs


def _facets(result, wanted: list[str]) -> tuple[dict, dict]:
    facets, search_facets = {}, {}
    codes = {}
    if "organization" in wanted:
        ids = [value for value, _n in result.facets.get("department", [])]
        codes = {d.pk: d for d in Department.objects.filter(pk__in=ids)}
    for field in wanted:
        items = []
        for value, count in result.facets.get(FACET_FIELDS[field], []):
            name, display = str(value), str(value)
            if field == "organization" and value in codes:
                name, display = codes[value].code, codes[value].name
            items.append({"name": name, "display_name": display, "count": count})
        facets[field] = {item["name"]: item["count"] for item in items}
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def package_search(request, p: dict) -> dict:
    rows = params.integer(p, "rows", setting("ROWS_DEFAULT"), minimum=0, maximum=setting("ROWS_MAX"))
    start = params.integer(p, "start", 0, minimum=0, maximum=10**7)
    q = params.text(p, "q", max_length=100).strip()
    if q in ("*:*", "*"):
        q = ""
    sort_text = " ".join(params.text(p, "sort", "score desc").split()).lower() or "score desc"
    sort = SORTS.get(sort_text)
    if sort is None:
        raise invalid("sort", _("不支持的排序方式。可用：%(sorts)s") % {"sorts": "、".join(SORTS)})
    wanted = params.structured(p, "facet.field", list, [])
    for field in wanted:
        if field not in FACET_FIELDS:
            raise invalid("facet.field", _("不支持的分面字段：%(field)s") % {"field": str(field)[:40]})
    facet_filters, other = _filter_query(params.text(p, "fq", max_length=500))
    result = selectors.search_datasets(q=q, filters=facet_filters, sort=sort, with_facets=bool(wanted))
    datasets = _narrow(result.datasets, other)
    if other:  # facets of the narrowed set: counted again by the same selector over it
        result.facets = {} if not wanted else _narrowed_facets(datasets)
    facets, search_facets = _facets(result, wanted)
    # read_refusal() asks each dataset's catalog resource for a stricter open type: fetched with the page
    page = datasets.select_related("entry__published_version")[start : start + rows] if rows else []
    return {
        "count": datasets.count(),
        "sort": sort_text,
        "results": [packages.package(request, dataset) for dataset in page],
        "facets": facets,
        "search_facets": search_facets,
    }


def _narrowed_facets(qs) -> dict:
    found = {}
    for facet in FACET_FIELDS.values():
        column = "department" if facet == "department" else f"published_version__{facet}"
        rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n")[:30]
        found[facet] = [(row[column], row["n"]) for row in rows if row[column] not in (None, "")]
    return found


def dataset_of(p: dict, name: str = "id"):
    pk = packages.dataset_pk(params.required(p, name))
    dataset = selectors.public_datasets().filter(pk=pk).first() if pk is not None else None
    if dataset is None:
        raise not_found(_("数据集不存在或未开放。"))
    return dataset


def package_show(request, p: dict) -> dict:
    dataset = dataset_of(p)
    request.ckan_dataset = dataset
    return packages.package(request, dataset)


def resource_show(request, p: dict) -> dict:
    ref = packages.resource_ref(params.required(p, "id"))
    dataset = selectors.public_datasets().filter(pk=ref[0]).first() if ref else None
    if dataset is None:
        raise not_found(_("资源不存在或未开放。"))
    request.ckan_dataset = dataset
    return next(r for r in packages.resources(request, dataset) if r["id"] == f"{ref[0]}-{ref[1]}")


def _departments():
    """Providing departments with at least one open dataset, with their counts."""
    counts = dict(selectors.public_datasets().order_by().values_list("department").annotate(n=Count("id")))
    return [(d, counts[d.pk]) for d in Department.objects.filter(pk__in=counts).order_by("code")]


def organization_list(request, p: dict) -> list:
    all_fields = params.boolean(p, "all_fields")
    found = _departments()
    if all_fields:
        return [packages.organization(d, package_count=n) for d, n in found]
    return [d.code for d, _n in found]


def organization_show(request, p: dict) -> dict:
    reference = params.required(p, "id")
    for department, count in _departments():
        if reference in (department.code, str(department.pk)):
            found = packages.organization(department, package_count=count)
            if params.boolean(p, "include_datasets"):
                datasets = (
                    selectors.public_datasets()
                    .filter(department=department)
                    .select_related("entry__published_version")
                    .order_by("id")[:1000]
                )
                found["packages"] = [packages.package(request, d) for d in datasets]
            return found
    raise not_found(_("提供部门不存在或没有开放数据集。"))


def group_list(request, p: dict) -> list:
    counts = (
        selectors.public_datasets()
        .exclude(published_version__theme="")
        .order_by()
        .values_list("published_version__theme")
        .annotate(n=Count("id"))
        .order_by("published_version__theme")
    )
    if params.boolean(p, "all_fields"):
        return [packages.group(theme, package_count=n) for theme, n in counts]
    return [theme for theme, _n in counts]


def tag_list(request, p: dict) -> list:
    query = params.text(p, "query", max_length=50).strip()
    names: set[str] = set()
    for columns in selectors.public_datasets().values_list("published_version__columns", flat=True).iterator():
        names.update(column["name"] for column in columns or [])
    found = sorted(name for name in names if query in name)
    if params.boolean(p, "all_fields"):
        return [packages.tag(name) for name in found]
    return found


ACTIONS = {
    "status_show": status_show,
    "package_list": package_list,
    "package_search": package_search,
    "package_show": package_show,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "tag_list": tag_list,
}
