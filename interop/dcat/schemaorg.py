"""schema.org `Dataset` of a public open dataset page (issue 17 part 2): what search engines read
(Google Dataset Search and others), from the same published version the page shows."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from interop.dcat.vocab import FILE_TYPES
from openness.models import OpenKind
from openness.services.usage import FORMATS


def dataset(base_url: str, dataset) -> dict:
    version = dataset.published_version
    page = f"{base_url}{reverse('openness:dataset', args=[dataset.pk])}"
    node = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page,
        "url": page,
        "name": version.title,
        "description": version.summary or version.title,
        "identifier": dataset.entry.code if dataset.entry_id else f"OD{dataset.pk:06d}",
        "version": str(version.number),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "conditionsOfAccess": version.open_condition or None,
        "license": f"{base_url}{reverse('openness:guide')}#terms",
        "keywords": [item["name"] for item in version.items or [] if item.get("name")] + [version.theme],
        "creator": {
            "@type": "GovernmentOrganization",
            "name": dataset.department.name,
            "identifier": dataset.department.uscc,
        },
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": str(settings.PORTAL_TITLE),
            "url": f"{base_url}{reverse('dcat:open_catalog')}",
        },
        "datePublished": dataset.first_published_at.isoformat() if dataset.first_published_at else None,
        "dateModified": dataset.last_published_at.isoformat() if dataset.last_published_at else None,
    }
    if version.open_type == OpenKind.UNCONDITIONAL and version.table_name:
        node["distribution"] = [
            {
                "@type": "DataDownload",
                "encodingFormat": FILE_TYPES[fmt][1],
                "contentUrl": f"{base_url}{reverse('openness:download', args=[dataset.pk, fmt])}",
            }
            for fmt in FORMATS
        ]
    node["keywords"] = [k for k in node["keywords"] if k]
    return {k: v for k, v in node.items() if v not in (None, "", [])}
