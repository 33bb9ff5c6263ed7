"""The portal's theme scheme (skos:ConceptScheme at /themes/, issue 17 part 1): the themes the catalogs use,
each a skos:Concept in that scheme, so that a dcat:theme of either catalog resolves to a published concept.
Only themes of open datasets and of shareable catalog entries are listed (an entry not shared shows no theme,
Lhasa art. 17), with the catalog's three categories.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import Category
from interop.dcat import vocab
from openness import selectors as open_selectors


def labels() -> list[str]:
    found = {str(label) for label in Category.labels}
    found.update(
        open_selectors.public_datasets()
        .exclude(published_version__theme="")
        .values_list("published_version__theme", flat=True)
    )
    found.update(
        catalog_selectors.shareable_entries()
        .exclude(published_version__theme="")
        .values_list("published_version__theme", flat=True)
    )
    return sorted(found)


def scheme_node(base_url: str) -> dict:
    return {
        "@id": vocab.themes_url(base_url),
        "@type": "skos:ConceptScheme",
        "dct:title": _("数据主题分类"),
        "dct:description": _("本平台资源目录和开放数据目录使用的主题。"),
    }


def concept_nodes(base_url: str):
    for label in labels():
        yield {**vocab.theme(base_url, label), "skos:topConceptOf": {"@id": vocab.themes_url(base_url)}}
