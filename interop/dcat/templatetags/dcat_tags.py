"""Template tags of interop.dcat: the schema.org markup of a dataset page and the catalogs' alternates."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from interop.dcat import schemaorg

register = template.Library()

# As django.utils.html.json_script escapes: the JSON can never close the script element (SECURITY.md, XSS).
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def dataset_schema_org(context, dataset):
    """<script type="application/ld+json"> with the schema.org Dataset of a published, not withdrawn dataset."""
    if dataset is None or dataset.published_version_id is None or dataset.withdrawn_at is not None:
        return ""
    base = context["request"].build_absolute_uri("/").rstrip("/")
    text = json.dumps(schemaorg.dataset(base, dataset), ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def catalog_alternates(which="open"):
    """The <link rel="alternate"> of a catalog in JSON-LD and Turtle (issue 17: harvesters find it there)."""
    names = ("dcat:open_catalog_jsonld", "dcat:open_catalog_ttl")
    if which == "share":
        names = ("catalog:export_dcat", "dcat:share_catalog_ttl")
    return format_html(
        '<link rel="alternate" type="application/ld+json" href="{}">\n'
        '  <link rel="alternate" type="text/turtle" href="{}">',
        reverse(names[0]),
        reverse(names[1]),
    )
