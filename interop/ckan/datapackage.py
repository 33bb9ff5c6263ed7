"""Frictionless Data Package descriptors of open datasets (issue 17 part 4): the current version's CSV
download as a tabular resource with its Table Schema, typed from the dataset's data items (信息项).

What the portal knows about a column becomes a constraint only where the published file keeps it:
a masked item (Lhasa art. 29, 脱敏) no longer matches the identity-number pattern, its length or
even its required-ness, so those constraints are given for unmasked items only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.datastore import masking
from catalog.datastore.sql import FORMULA_STARTS
from interop.ckan import packages
from interop.ckan.conf import setting

# the datastore's item types -> Table Schema types and formats (datastore/sql.py export_expr writes
# dates as YYYY-MM-DD, date-times as "YYYY-MM-DD HH:MM:SS[.ffffff]" in the portal's time zone,
# booleans as true/false)
TYPES = {
    "string": ("string", "default"),
    "integer": ("integer", "default"),
    "decimal": ("number", "default"),
    "date": ("date", "default"),
    "datetime": ("datetime", "any"),
    "boolean": ("boolean", "default"),
    "id_number": ("string", "default"),
    "uscc": ("string", "default"),
    "phone": ("string", "default"),
}
# GB 11643 resident identity numbers and GB 32100 unified social credit codes
PATTERNS = {
    "id_number": r"[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]",
    "uscc": r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
}


def header_name(name: str) -> str:
    """The column's name as the CSV header writes it (query.csv_header: a formula start gets a ')."""
    return "'" + name if name.startswith(FORMULA_STARTS) else name


def required_keys(version) -> set[str]:
    """The items the source requires (the catalog resource's data items, or the upload's columns):
    the published columns keep types and lengths but not required-ness."""
    source = version.source_load if version.source_load_id else version.source_upload
    return {c["key"] for c in (getattr(source, "columns", None) or []) if c.get("required")}


def field(column: dict, item: dict, required: bool = False) -> dict:
    kind, fmt = TYPES.get(column["type"], ("string", "default"))
    found = {"name": header_name(column["name"]), "title": column["name"], "type": kind, "format": fmt}
    found["description"] = _("信息项 %(key)s") % {"key": column["key"]}
    constraints = {}
    if not masking.Rule.from_dict(item).masks and not column.get("encrypted"):
        if column.get("required") or required:
            constraints["required"] = True
        if column["type"] in PATTERNS:
            constraints["pattern"] = PATTERNS[column["type"]]
        if column["type"] == "string" and column.get("length"):
            constraints["maxLength"] = column["length"]
    if constraints:
        found["constraints"] = constraints
    return found


def descriptor(request, dataset) -> dict:
    version = dataset.published_version
    items = {item.get("key"): item for item in version.items}
    required = required_keys(version)
    page = request.build_absolute_uri(reverse("openness:dataset", args=[dataset.pk]))
    keywords = ([version.theme] if version.theme else []) + packages.tags_of(version)
    return {
        "profile": "tabular-data-package",
        "name": packages.package_name(dataset),
        "id": page,
        "title": version.title,
        "description": version.summary,
        "version": f"{version.number}.0.0",
        "created": version.published_at.isoformat() if version.published_at else None,
        "homepage": page,
        "keywords": list(dict.fromkeys(keywords)),
        "licenses": [
            {
                "name": setting("LICENSE_ID"),
                "title": _("开放数据平台数据使用规则"),
                "path": request.build_absolute_uri(reverse("openness:guide")),
            }
        ],
        "sources": [{"title": dataset.department.name}],
        "resources": [
            {
                "name": f"{packages.package_name(dataset)}-v{version.number}",
                "title": version.title,
                "profile": "tabular-data-resource",
                "path": request.build_absolute_uri(reverse("openness:download", args=[dataset.pk, "csv"])),
                "format": "csv",
                "mediatype": "text/csv",
                # the download starts with a byte order mark so that Excel reads its Chinese (openness.downloads)
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": [
                        field(column, items.get(column["key"], {}), column["key"] in required)
                        for column in version.columns
                    ],
                    "missingValues": [""],
                },
            }
        ],
    }
