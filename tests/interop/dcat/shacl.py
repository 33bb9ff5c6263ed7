"""pyshacl against the vendored DCAT-AP 3.0.0 shapes (tests/interop/shapes/SOURCE)."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph

SHAPES = Path(__file__).resolve().parent.parent / "shapes"
FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")


def shapes_graph() -> Graph:
    graph = Graph()
    for name in FILES:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def violations(data: Graph, shapes: Graph) -> tuple[bool, str]:
    """(no violation, the report): warnings (recommended themes of the EU data-theme table) do not count."""
    conforms, _report_graph, text = validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True
    )
    return conforms, text
