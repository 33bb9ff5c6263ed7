"""Open datasets as CKAN sees them: packages, resources, organisations (providing departments),
groups (themes) and tags (the names of the data items, the portal's keywords of what a dataset holds).

Names follow CKAN's rules (lower case, digits, "-"): a package is "dataset-<id>", its resources
"<id>-<format>" and "<id>-datapackage", an organisation its department's code."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from interop.ckan.conf import setting
from openness import selectors
from openness.services.usage import FORMATS

PREFIX = "dataset-"
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def package_name(dataset) -> str:
    return f"{PREFIX}{dataset.pk}"


def dataset_pk(reference: str) -> int | None:
    """The dataset id of a package's name or id ("dataset-12" or "12"), or None."""
    reference = str(reference).strip()
    if reference.startswith(PREFIX):
        reference = reference[len(PREFIX) :]
    return int(reference) if reference.isascii() and reference.isdigit() and len(reference) < 12 else None


def resource_ref(reference: str) -> tuple[int, str] | None:
    """(dataset id, format) of a resource id such as "12-csv", or None."""
    pk, _sep, fmt = str(reference).strip().partition("-")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 12) or fmt not in (*FORMATS, "datapackage"):
        return None
    return int(pk), fmt


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def tags_of(version) -> list[str]:
    return [column["name"] for column in version.columns]


def organization(department, *, package_count: int | None = None) -> dict:
    found = {
        "id": str(department.pk),
        "name": department.code,
        "title": department.name,
        "display_name": department.name,
        "description": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group(theme: str, *, package_count: int | None = None) -> dict:
    found = {
        "id": theme,
        "name": theme,
        "title": theme,
        "display_name": theme,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def tag(name: str) -> dict:
    return {"id": name, "name": name, "display_name": name, "vocabulary_id": None}


def resources(request, dataset) -> list[dict]:
    """The current version's downloads (one resource per format, with datastore_active where the
    caller may query its rows) and its Data Package descriptor."""
    version = dataset.published_version
    version.dataset = dataset  # read_refusal() looks at the version's dataset: the one in hand, not a query
    queryable = version.is_downloadable and selectors.read_refusal(getattr(request, "user", None), version) is None
    common = {
        "package_id": str(dataset.pk),
        "created": _iso(version.published_at),
        "last_modified": _iso(dataset.last_published_at),
        "state": "active",
        "url_type": None,
    }
    found = []
    for position, fmt in enumerate(FORMATS):
        found.append(
            {
                **common,
                "id": f"{dataset.pk}-{fmt}",
                "name": f"{version.title}（{fmt.upper()}）",
                "description": _("第 %(n)s 版，%(rows)s 行") % {"n": version.number, "rows": version.row_count},
                "format": fmt.upper(),
                "mimetype": MEDIA_TYPES[fmt],
                "url": _absolute(request, reverse("openness:download", args=[dataset.pk, fmt])),
                "position": position,
                "datastore_active": queryable,
            }
        )
    found.append(
        {
            **common,
            "id": f"{dataset.pk}-datapackage",
            "name": "datapackage.json",
            "description": _("Frictionless 数据包描述（含表结构）"),
            "format": "JSON",
            "mimetype": "application/json",
            "url": _absolute(request, reverse("ckan_public:datapackage", args=[dataset.pk])),
            "position": len(FORMATS),
            "datastore_active": False,
        }
    )
    return found


def package(request, dataset) -> dict:
    version = dataset.published_version
    names = tags_of(version)
    found_resources = resources(request, dataset)
    return {
        "id": str(dataset.pk),
        "name": package_name(dataset),
        "title": version.title,
        "notes": version.summary,
        "type": "dataset",
        "state": "active",
        "private": False,
        "version": str(version.number),
        "license_id": setting("LICENSE_ID"),
        "license_title": _("开放数据平台数据使用规则"),
        "license_url": _absolute(request, reverse("openness:guide")),
        "metadata_created": _iso(dataset.first_published_at),
        "metadata_modified": _iso(dataset.last_published_at),
        "url": _absolute(request, reverse("openness:dataset", args=[dataset.pk])),
        "author": dataset.department.name,
        "maintainer": dataset.department.name,
        "owner_org": str(dataset.department_id),
        "organization": organization(dataset.department),
        "groups": [group(version.theme)] if version.theme else [],
        "tags": [tag(name) for name in names],
        "num_tags": len(names),
        "resources": found_resources,
        "num_resources": len(found_resources),
        "extras": [
            {"key": "open_type", "value": version.open_type},
            {"key": "open_condition", "value": version.open_condition},
            {"key": "update_frequency", "value": version.update_frequency},
            {"key": "data_format", "value": version.data_format},
            {"key": "row_count", "value": str(version.row_count)},
            {"key": "stale", "value": "true" if dataset.is_stale else "false"},
            {"key": "datapackage", "value": found_resources[-1]["url"]},
        ],
    }
