"""CKAN's datastore_search over an open dataset's rows (issue 17 part 3): the rows the open-data API
serves, through the same rule (openness.services.usage.read_problem: 依申请开放 rows only for an
approved applicant, Lhasa art. 30) and the same query (catalog.datastore.query_rows): no second
query engine. CKAN's offset/limit are mapped onto query_rows' pages (at most two pages read)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import datastore
from interop.ckan import packages, params
from interop.ckan.conf import setting
from interop.ckan.params import ActionError, invalid, not_found
from openness import selectors
from openness.services import usage

# the datastore's types as CKAN's DataStore names them (PostgreSQL types)
CKAN_TYPES = {"integer": "int8", "decimal": "numeric", "date": "date", "datetime": "timestamptz", "boolean": "bool"}


def _problem(user, version):
    problem = usage.read_problem(user, version)
    if problem is None:
        return None
    status = getattr(problem, "status_code", 400)
    if status in (401, 403):
        return ActionError(403, "Authorization Error", str(problem.message))
    if status == 404:
        return not_found(str(problem.message))
    return ActionError(409, "Validation Error", fields={"resource_id": [str(problem.message)]})


def _sort(p: dict, keys: set[str]) -> str | None:
    text = params.text(p, "sort").strip()
    if not text:
        return None
    terms = [t.split() for t in text.split(",") if t.strip()]
    if len(terms) != 1 or len(terms[0]) > 2:
        raise invalid("sort", _("只支持按一个字段排序，如「established desc」。"))
    key, direction = terms[0][0].strip('"'), (terms[0][1].lower() if len(terms[0]) == 2 else "asc")
    if key not in keys or direction not in ("asc", "desc"):
        raise invalid("sort", _("排序字段或方向无效。"))
    return key if direction == "asc" else "-" + key


def _page(version, columns, filters, order_by, offset: int, limit: int) -> tuple[list, int]:
    """Rows offset .. offset+limit by query_rows' pages of `limit` rows (two pages when they straddle)."""
    first = offset // limit + 1
    try:
        rows, total = datastore.query_rows(
            version.table_name, columns, filters=filters, order_by=order_by, page=first, page_size=limit
        )
        skip = offset - (first - 1) * limit
        if skip and total > first * limit:
            more, _total = datastore.query_rows(
                version.table_name, columns, filters=filters, order_by=order_by, page=first + 1, page_size=limit
            )
            rows = rows + more
    except ValueError as exc:
        raise invalid("filters", str(exc)) from None
    return rows[skip : skip + limit], total


def datastore_search(request, p: dict) -> dict:
    resource_id = params.required(p, "resource_id")
    ref = packages.resource_ref(resource_id)
    dataset = selectors.public_datasets().filter(pk=ref[0]).first() if ref and ref[1] != "datapackage" else None
    if dataset is None:
        raise not_found(_("资源不存在或未开放。"))
    request.ckan_dataset = dataset
    version = dataset.published_version
    problem = _problem(request.user, version)
    if problem is not None:
        raise problem
    if p.get("q") not in (None, "", {}):
        raise invalid("q", _("暂不支持全文检索，请用 filters 按信息项等值筛选。"))
    columns = version.datastore_columns
    by_key = {c.key: c for c in columns}
    wanted = params.structured(p, "fields", list, [])
    unknown = [str(f)[:40] for f in wanted if f not in by_key]
    if unknown:
        raise invalid("fields", _("没有这些字段：%(keys)s") % {"keys": "、".join(unknown)})
    shown = [by_key[f] for f in wanted] or columns
    filters = params.structured(p, "filters", dict, {})
    for key, value in filters.items():
        if isinstance(value, list):  # CKAN's "any of": the portal's query takes one value per field
            if len(value) != 1:
                raise invalid("filters", _("每个字段只能给一个筛选值。"))
            filters[key] = value[0]
        if isinstance(filters[key], (dict, list)):
            raise invalid("filters", _("筛选值必须是字符串或数字。"))
    maximum = datastore.limit("MAX_PAGE_SIZE")
    limit = params.integer(p, "limit", setting("DATASTORE_LIMIT_DEFAULT"), minimum=0, maximum=maximum)
    offset = params.integer(p, "offset", 0, minimum=0, maximum=10**9)
    order_by = _sort(p, set(by_key))
    rows, total = _page(version, shown, filters, order_by, offset, limit or 1)
    if limit == 0:
        rows = []
    base = reverse("ckan-3-datastore_search")
    link = {"resource_id": resource_id, **({"limit": limit} if limit else {})}
    return {
        "resource_id": resource_id,
        "fields": [{"id": c.key, "type": CKAN_TYPES.get(c.type, "text"), "info": {"label": c.name}} for c in shown],
        "records": rows,
        "total": total,
        "limit": limit,
        "offset": offset,
        "sort": params.text(p, "sort"),
        "filters": filters,
        "_links": {
            "start": f"{base}?{urlencode(link)}",
            "next": f"{base}?{urlencode({**link, 'offset': offset + (limit or 0)})}",
        },
    }
