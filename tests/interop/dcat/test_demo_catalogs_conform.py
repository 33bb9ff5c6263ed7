"""Issue 17 part 1: the demo city's catalogs (`manage.py seed_demo`: catalog.demo and openness.demo) are valid
DCAT-AP 3.0, 0 violations, the open one public and the share one in full for the bureau admin."""

import io

import pytest
from django.core.management import call_command
from rdflib import RDF, Namespace

from portal.models import User
from tests.interop.dcat.conftest import graph_of
from tests.interop.dcat.shacl import violations

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def test_the_demo_catalogs_have_no_violation(client, shapes):
    call_command("seed_demo", stdout=io.StringIO())
    open_graph = graph_of(client.get("/open/catalog.ttl"), "turtle")
    conforms, report = violations(open_graph, shapes)
    assert conforms, report
    assert len(set(open_graph.subjects(RDF.type, DCAT.Distribution))) >= 15 * 3

    client.force_login(User.objects.get(username="admin"))
    share_graph = graph_of(client.get("/catalog/province.jsonld"), "json-ld")
    conforms, report = violations(share_graph, shapes)
    assert conforms, report
    assert len(set(share_graph.objects(None, DCAT.dataset))) >= 20
