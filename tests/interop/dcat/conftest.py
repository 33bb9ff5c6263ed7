import pytest
from rdflib import Graph

from tests.interop.dcat.shacl import shapes_graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """The DCAT-AP 3.0 shapes, parsed once per module."""
    return shapes_graph()


def graph_of(response, fmt: str = "json-ld") -> Graph:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Graph().parse(data=body, format=fmt)
