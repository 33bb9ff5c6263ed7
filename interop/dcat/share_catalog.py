"""The share catalog (政务信息资源目录) in DCAT-AP 3.0 (issue 17 part 1; docs/features.md C6): the published
entries the reader may list, through catalog.selectors.published_for_export(). An entry not shared (不予共享)
of another department shows only that it exists and who holds it, as the national layout export does: its
summary, themes, items and contact are left out (Lhasa art. 17), and DCAT-AP's mandatory description says so.
The grade is a dct:RightsStatement (Lhasa art. 39; GB/T 43697 category and level).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import Category, EntryVersion, ShareType
from interop.dcat import vocab
from protection.grading.selectors import grade_label
from protection.grading.services import entry_grade


def count(user) -> int:
    return catalog_selectors.versions_searchable_by(user).filter(status=EntryVersion.Status.PUBLISHED).count()


def service(base_url: str) -> dict:
    return {
        "@id": f"{base_url}/api/sharing/#service",
        "@type": "dcat:DataService",
        "dct:title": _("数据共享接口"),
        "dct:description": _("获批的共享申请按授权范围查询和拉取数据。"),
        "dcat:endpointURL": f"{base_url}/api/sharing/",
        "dcat:endpointDescription": f"{base_url}{reverse('api_schema')}",
    }


def _guide(base_url: str) -> dict:
    # The national catalog compilation guide the entries' fields follow (catalog.exchange.COLUMNS).
    return vocab.standard(f"{base_url}/ns#catalog-guide", _("政务信息资源目录编制指南"))


def _rights(version: EntryVersion) -> dict:
    grade = entry_grade(version)
    return {
        "@type": "dct:RightsStatement",
        "rdfs:label": grade_label(grade.level, grade.category),
        "dct:type": str(grade.category),
        "portal:gradeLevel": grade.level,
        "portal:gradeConfirmed": grade.confirmed,
    }


ACCESS = {
    ShareType.UNCONDITIONAL: "RESTRICTED",  # shared between government departments only, never to the public
    ShareType.CONDITIONAL: "RESTRICTED",
    ShareType.NOT_SHARED: "NON_PUBLIC",
}


def dataset_node(base_url: str, version: EntryVersion, *, details: bool) -> dict:
    entry = version.entry
    page = f"{base_url}{reverse('catalog:detail', args=[entry.pk])}"
    node: dict = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": entry.code,
        "dct:title": version.name,
        "dct:publisher": vocab.agent(base_url, entry.department),
        "dct:issued": version.publish_date.isoformat() if version.publish_date else None,
        "dct:accessRights": vocab.access_right(ACCESS.get(version.share_type, "NON_PUBLIC")),
        "dct:rights": _rights(version),
        "dct:accrualPeriodicity": vocab.frequency(version.update_frequency, version.get_update_frequency_display()),
        "dcat:version": str(version.number),
        "dcat:landingPage": vocab.landing(page),
        "dct:conformsTo": _guide(base_url),
    }
    if version.number > 1:
        node["dcat:previousVersion"] = f"{base_url}{reverse('catalog:version', args=[entry.pk, version.number - 1])}"
    if not details:
        node["dct:description"] = _("该资源不予共享，仅公布其名称、代码和提供部门。")
        return {k: v for k, v in node.items() if v not in (None, "", [])}
    node.update(
        {
            "dct:description": version.summary or version.name,
            "dcat:theme": [vocab.theme(base_url, label) for label in _themes(version)],
            "dcat:keyword": [item.name for item in version.items.all()],
            "dcat:contactPoint": vocab.contact(base_url, entry.department),
            "portal:legalBasis": version.legal_basis,
        }
    )
    if version.share_type != ShareType.NOT_SHARED:
        node["dcat:distribution"] = [
            {
                "@id": f"{page}#distribution",
                "@type": "dcat:Distribution",
                "dct:title": _("通过共享申请获取"),
                "dcat:accessURL": f"{base_url}{reverse('sharing:apply', args=[entry.pk])}",
                "dcat:accessService": {**service(base_url), "dcat:servesDataset": page},
            }
        ]
    return {k: v for k, v in node.items() if v not in (None, "", [])}


def _themes(version: EntryVersion) -> list[str]:
    themes = [str(Category(version.category).label)] if version.category in Category.values else []
    if version.theme and version.theme not in themes:
        themes.append(version.theme)
    return themes


def dataset_nodes(base_url: str, user, *, offset: int = 0, limit: int | None = None) -> Iterator[dict]:
    rows = catalog_selectors.published_for_export(user)
    stop = None if limit is None else offset + limit
    for version, details in islice(rows, offset, stop):
        yield dataset_node(base_url, version, details=details)


def catalog_node(base_url: str, url: str, publisher: dict) -> dict:
    return {
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": _("%(portal)s政务信息资源目录") % {"portal": settings.PORTAL_TITLE},
        "dct:description": _("政务部门间共享的信息资源目录：本目录按阅读者的权限列出已发布的资源。"),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": f"{base_url}{reverse('catalog:list')}", "@type": "foaf:Document"},
        "dcat:service": service(base_url),
    }
