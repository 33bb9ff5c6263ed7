"""Streaming serialisation of a DCAT catalog (issue 17, Performance: memory stays flat at 100,000 datasets).

The datasets come one by one as JSON-LD nodes (compact, in vocab.context()). JSON-LD is written as they come;
Turtle and RDF/XML parse a chunk of nodes at a time into an rdflib Graph and write that chunk's triples, with
the prefixes (or the rdf:RDF element) written once. A page of a paged catalog carries a
hydra:PartialCollectionView with its first, previous, next and last pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import Graph

from interop.dcat import vocab

FORMATS = {
    "jsonld": "application/ld+json",
    "ttl": "text/turtle",
    "rdf": "application/rdf+xml",
}
CHUNK = 200
_PLACEHOLDER = "__DCAT_DATASETS__"


def negotiate(accept: str) -> str:
    """The format the Accept header prefers among FORMATS (JSON-LD when it names none of them)."""
    best, best_q = "jsonld", 0.0
    for position, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        for fmt, content_type in FORMATS.items():
            if media.lower() == content_type and q > best_q:
                best, best_q = fmt, q - position * 1e-6
    return best


def paging(url: str, page: int, last: int, total: int) -> dict:
    def link(number):
        return f"{url}?page={number}"

    view = {
        "@id": link(page),
        "@type": "hydra:PartialCollectionView",
        "hydra:first": link(1),
        "hydra:last": link(last),
    }
    if page > 1:
        view["hydra:previous"] = link(page - 1)
    if page < last:
        view["hydra:next"] = link(page + 1)
    return {"@type": ["dcat:Catalog", "hydra:Collection"], "hydra:totalItems": total, "hydra:view": view}


def stream_jsonld(base_url: str, catalog: dict, datasets: Iterable[dict]) -> Iterator[str]:
    head = {"@context": vocab.context(base_url), **catalog}
    head["dcat:themeTaxonomy"] = {
        "@id": vocab.themes_url(base_url),
        "@type": "skos:ConceptScheme",
        "dct:title": _scheme_title(),
    }
    head["dcat:dataset"] = _PLACEHOLDER
    before, after = json.dumps(head, ensure_ascii=False).split(json.dumps(_PLACEHOLDER))
    yield before + "["
    for index, node in enumerate(datasets):
        yield ("," if index else "") + "\n" + json.dumps(node, ensure_ascii=False)
    yield "]" + after + "\n"


def _scheme_title() -> str:
    return _("数据主题分类")


def _graph(base_url: str, nodes: list[dict]) -> Graph:
    graph = Graph()
    for prefix, namespace in {**vocab.PREFIXES, "portal": f"{base_url}/ns#"}.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.parse(data=json.dumps({"@context": vocab.context(base_url), "@graph": nodes}), format="json-ld")
    return graph


def _chunks(base_url: str, catalog: dict, datasets: Iterable[dict]) -> Iterator[Graph]:
    """The catalog's header first, then the datasets a chunk at a time, each with its dcat:dataset links."""
    head = dict(catalog)
    head["dcat:themeTaxonomy"] = {
        "@id": vocab.themes_url(base_url),
        "@type": "skos:ConceptScheme",
        "dct:title": _scheme_title(),
    }
    yield _graph(base_url, [head])
    iterator = iter(datasets)
    while chunk := list(islice(iterator, CHUNK)):
        links = {"@id": catalog["@id"], "dcat:dataset": [{"@id": node["@id"]} for node in chunk]}
        yield _graph(base_url, [links, *chunk])


def stream_turtle(base_url: str, catalog: dict, datasets: Iterable[dict]) -> Iterator[str]:
    prefixes = {**vocab.PREFIXES, "portal": f"{base_url}/ns#"}
    yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()) + "\n"
    for graph in _chunks(base_url, catalog, datasets):
        text = graph.serialize(format="turtle")
        yield "\n".join(line for line in text.splitlines() if not line.startswith("@prefix")) + "\n"


def stream_rdfxml(base_url: str, catalog: dict, datasets: Iterable[dict]) -> Iterator[str]:
    prefixes = {**vocab.PREFIXES, "portal": f"{base_url}/ns#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    declarations = " ".join(f"xmlns:{p}={quoteattr(ns)}" for p, ns in prefixes.items())
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {declarations}>\n'
    for graph in _chunks(base_url, catalog, datasets):
        text = graph.serialize(format="xml")
        start = text.index(">", text.index("<rdf:RDF")) + 1
        yield text[start : text.rindex("</rdf:RDF>")]
    yield "</rdf:RDF>\n"


WRITERS = {"jsonld": stream_jsonld, "ttl": stream_turtle, "rdf": stream_rdfxml}


def stream(fmt: str, base_url: str, catalog: dict, datasets: Iterable[dict]) -> Iterator[bytes]:
    # The literals are tagged zh: they are written in Chinese whatever the reader's page language.
    with translation.override(settings.LANGUAGE_CODE):
        for text in WRITERS[fmt](base_url, catalog, datasets):
            yield text.encode("utf-8")


def document(fmt: str, base_url: str, nodes: list[dict]) -> bytes:
    """A small graph (the theme scheme) in one piece."""
    with translation.override(settings.LANGUAGE_CODE):
        return _document(fmt, base_url, nodes)


def _document(fmt: str, base_url: str, nodes: list[dict]) -> bytes:
    if fmt == "jsonld":
        body = {"@context": vocab.context(base_url), "@graph": nodes}
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
    return _graph(base_url, nodes).serialize(format="turtle" if fmt == "ttl" else "xml", encoding="utf-8")
