"""The open-data catalog in DCAT-AP 3.0 (issue 17 part 1; docs/features.md O1): every published open dataset
that is not withdrawn, as openness.selectors.public_datasets() gives it, public to everybody.

A dataset is its landing page's IRI; each published version is a dcat:Dataset of its own (`#v<n>` on that
page), linked by DCAT 3 versioning (dcat:hasVersion, dcat:hasCurrentVersion, dcat:previousVersion), with the
downloads of that version as its distributions. Withdrawn datasets leave the catalog (a harvester sees them
gone); stale ones stay, flagged (Lhasa art. 33: the provider still owes the update).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from interop.dcat import vocab
from openness import selectors as open_selectors
from openness.models import OpenKind
from openness.services.usage import FORMATS

CHUNK = 500


def datasets_queryset():
    return open_selectors.public_datasets().select_related("entry").prefetch_related("versions").order_by("pk")


def count() -> int:
    return open_selectors.public_datasets().count()


def service(base_url: str) -> dict:
    """The open-data API (dcat:DataService) that serves every dataset's rows."""
    return {
        "@id": f"{base_url}{reverse('open-api-datasets')}#service",
        "@type": "dcat:DataService",
        "dct:title": _("开放数据接口"),
        "dct:description": _("以 JSON 分页返回开放数据集的目录和数据行，依申请开放的数据须使用获批的接口密钥。"),
        "dcat:endpointURL": f"{base_url}{reverse('open-api-datasets')}",
        "dcat:endpointDescription": f"{base_url}{reverse('api_schema')}",
    }


def _license(base_url: str) -> dict:
    # The portal publishes its terms of use in the open-data guide (Lhasa art. 36: users follow them).
    return {
        "@id": f"{base_url}{reverse('openness:guide')}#terms",
        "@type": "dct:LicenseDocument",
        "rdfs:label": _("开放数据使用规则"),
    }


def _distributions(base_url: str, dataset, version, dataset_iri: str, *, current: bool) -> list[dict]:
    if not version.table_name:
        return []  # nothing materialised (yet): a dataset without a download
    page = f"{base_url}{reverse('openness:dataset', args=[dataset.pk])}"
    found = []
    for fmt in FORMATS:
        if current:
            url = reverse("openness:download", args=[dataset.pk, fmt])
        else:
            url = reverse("openness:version_download", args=[dataset.pk, version.number, fmt])
        found.append(
            {
                "@id": f"{base_url}{url}#distribution",
                "@type": "dcat:Distribution",
                "dct:title": f"{version.title} ({fmt.upper()})",
                "dcat:accessURL": page,
                "dcat:downloadURL": f"{base_url}{url}",
                "dct:format": vocab.file_type(fmt),
                "dcat:mediaType": vocab.media_type(fmt),
                "dct:license": _license(base_url),
            }
        )
    if current:
        api = service(base_url)
        rows = f"{base_url}{reverse('open-api-dataset-rows', args=[dataset.pk])}"
        found.append(
            {
                "@id": f"{rows}#distribution",
                "@type": "dcat:Distribution",
                "dct:title": _("%(title)s（数据接口）") % {"title": version.title},
                "dcat:accessURL": rows,
                "dcat:accessService": {**api, "dcat:servesDataset": dataset_iri},
                "dct:format": vocab.file_type("json"),
                "dcat:mediaType": vocab.media_type("json"),
                "dct:license": _license(base_url),
            }
        )
    return found


def _common(base_url: str, dataset, version) -> dict:
    node: dict = {
        "@type": "dcat:Dataset",
        "dct:title": version.title,
        "dct:description": version.summary or version.title,
        "dct:publisher": vocab.agent(base_url, dataset.department),
        "dcat:contactPoint": vocab.contact(base_url, dataset.department),
        "dct:accessRights": vocab.access_right(
            "PUBLIC" if version.open_type == OpenKind.UNCONDITIONAL else "RESTRICTED"
        ),
        "dct:accrualPeriodicity": vocab.frequency(version.update_frequency, version.get_update_frequency_display()),
        "dcat:version": str(version.number),
    }
    if version.theme:
        node["dcat:theme"] = vocab.theme(base_url, version.theme)
    keywords = [item.get("name") for item in version.items or [] if item.get("name")]
    if keywords:
        node["dcat:keyword"] = keywords
    if version.published_at:
        node["dct:issued"] = version.published_at.date().isoformat()
    return node


def dataset_node(base_url: str, dataset) -> dict:
    """One open dataset with its versions, as a JSON-LD node (compact, in vocab.context())."""
    current = dataset.published_version
    page = f"{base_url}{reverse('openness:dataset', args=[dataset.pk])}"
    versions = sorted((v for v in dataset.versions.all() if v.number is not None), key=lambda v: v.number)
    node = _common(base_url, dataset, current)
    node.update(
        {
            "@id": page,
            "dct:identifier": dataset.entry.code if dataset.entry_id else f"OD{dataset.pk:06d}",
            "dcat:landingPage": vocab.landing(page),
            "dct:issued": dataset.first_published_at.date().isoformat() if dataset.first_published_at else None,
            "dct:modified": dataset.last_published_at.isoformat() if dataset.last_published_at else None,
            "dcat:distribution": _distributions(base_url, dataset, current, page, current=True),
        }
    )
    if dataset.stale_since:
        node["portal:staleSince"] = dataset.stale_since.isoformat()
        node["rdfs:comment"] = _("提供部门未按承诺的更新周期更新本数据集。")
    history = []
    previous = None
    for version in versions:
        iri = f"{page}#v{version.number}"
        item = _common(base_url, dataset, version)
        item.update(
            {
                "@id": iri,
                "dcat:landingPage": vocab.landing(page),
                "dcat:distribution": _distributions(base_url, dataset, version, iri, current=version.pk == current.pk),
            }
        )
        if version.change_note:
            item["adms:versionNotes"] = version.change_note
        if previous:
            item["dcat:previousVersion"] = previous
        previous = iri
        history.append(item)
    if history:
        node["dcat:hasVersion"] = history
        node["dct:hasVersion"] = [h["@id"] for h in history]
        node["dcat:hasCurrentVersion"] = f"{page}#v{current.number}"
    return {k: v for k, v in node.items() if v not in (None, "", [])}


def dataset_nodes(base_url: str, *, offset: int = 0, limit: int | None = None) -> Iterator[dict]:
    qs = datasets_queryset()
    qs = qs[offset : offset + limit] if limit is not None else qs[offset:] if offset else qs
    for dataset in qs.iterator(chunk_size=CHUNK):
        yield dataset_node(base_url, dataset)


def catalog_node(base_url: str, url: str, publisher: dict) -> dict:
    return {
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": _("%(portal)s开放数据目录") % {"portal": settings.PORTAL_TITLE},
        "dct:description": _("向社会公开的政务开放数据集目录：无条件开放和依申请开放的数据集及其下载和接口。"),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": f"{base_url}{reverse('open_data_home')}", "@type": "foaf:Document"},
        "dcat:service": service(base_url),
    }
