"""Issue 17 part 1 and 6: content negotiation and suffixes, hydra paging with clear errors for a bad page,
the share catalog only for signed-in readers (audited), the province's copy only for the bureau admin."""

import json

import pytest
from rdflib import XSD, Literal, Namespace, URIRef

from audit.models import AuditEntry
from interop.dcat import views
from portal.roles import Role
from tests.catalog.factories import published
from tests.factories import user_with_role
from tests.interop.dcat.conftest import graph_of
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("text/html,application/xhtml+xml", "application/ld+json"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("text/turtle;q=abc, application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_the_catalog_answers_the_format_the_reader_accepts(client, accept, content_type):
    response = client.get("/open/catalog", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type and "Accept" in response["Vary"].split(", ")


def test_a_page_links_to_its_neighbours(client, officer, reviewer, monkeypatch):
    for name in ("企业甲", "企业乙", "企业丙"):
        published_dataset(officer, reviewer, name=name)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = graph_of(client.get("/open/catalog.ttl?page=1"), "turtle")
    view = URIRef("http://testserver/open/catalog?page=1")
    assert (view, HYDRA.next, URIRef("http://testserver/open/catalog?page=2")) in first
    assert (
        URIRef("http://testserver/open/catalog"),
        HYDRA.totalItems,
        Literal(3, datatype=XSD.nonNegativeInteger),
    ) in first
    body = json.loads(b"".join(client.get("/open/catalog.jsonld?page=2").streaming_content))
    assert len(body["dcat:dataset"]) == 1 and body["hydra:view"]["hydra:previous"].endswith("?page=1")
    assert "hydra:next" not in body["hydra:view"]


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("abc", 400), ("-1", 400), ("9", 404)])
def test_a_bad_page_is_refused_clearly(client, page, status):
    response = client.get(f"/open/catalog.jsonld?page={page}")
    assert response.status_code == status
    assert "页" in response.content.decode()


def test_the_share_catalog_needs_sign_in_and_is_audited(client, officer, reviewer, staff):
    published(officer, reviewer, name="企业营业执照信息")
    assert client.get("/catalog/catalog.ttl").status_code == 302
    client.force_login(staff)
    graph = graph_of(client.get("/catalog/dcat", HTTP_ACCEPT="text/turtle"), "turtle")
    assert Literal("企业营业执照信息", lang="zh") in set(graph.objects())
    assert AuditEntry.objects.filter(action="catalog.export", actor_id=staff.pk, detail__format="dcat-ttl").exists()


def test_the_province_copy_is_for_the_bureau_admin_only(client, officer, reviewer, bureau_admin):
    published(officer, reviewer, name="企业营业执照信息")
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF))
    assert client.get("/catalog/province.ttl").status_code == 403
    client.force_login(bureau_admin)
    response = client.get("/catalog/province.jsonld")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = json.loads(b"".join(response.streaming_content))
    assert [d["dct:title"] for d in body["dcat:dataset"]] == ["企业营业执照信息"]
    assert AuditEntry.objects.filter(action="catalog.export", actor_id=bureau_admin.pk, detail__for="province").exists()


def test_the_theme_scheme_publishes_every_theme_a_dataset_names(client, officer, reviewer):
    published_dataset(officer, reviewer, name="企业登记信息", theme="市场监管")
    scheme = graph_of(client.get("/themes/", HTTP_ACCEPT="text/turtle"), "turtle")
    catalog = graph_of(client.get("/open/catalog.ttl"), "turtle")
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    dcat = Namespace("http://www.w3.org/ns/dcat#")
    themes = set(catalog.objects(None, dcat.theme))
    assert themes and all((t, skos.inScheme, URIRef("http://testserver/themes/")) in scheme for t in themes)
    assert Literal("市场监管", lang="zh") in set(scheme.objects(None, skos.prefLabel))


def test_a_bad_page_is_refused_in_english_for_english_readers_and_the_catalog_stays_chinese(client, settings):
    from django.utils import translation

    with translation.override("en"):
        refused = client.get("/open/catalog.jsonld?page=abc", HTTP_ACCEPT_LANGUAGE="en")
        body = json.loads(b"".join(client.get("/open/catalog.jsonld", HTTP_ACCEPT_LANGUAGE="en").streaming_content))
    assert refused.status_code == 400 and "positive integer" in refused.content.decode()
    assert body["dct:title"].endswith("开放数据目录") and body["@context"]["@language"] == "zh"


def test_the_open_catalog_reads_a_fixed_number_of_queries_whatever_its_size(client, officer, reviewer):
    """Performance (issue 17): the stream reads chunks with their versions prefetched, never a query a dataset."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/open/catalog.jsonld").streaming_content)
        return len(captured.captured_queries)

    published_dataset(officer, reviewer, name="企业甲")
    few = queries()
    for name in ("企业乙", "企业丙", "企业丁"):
        published_dataset(officer, reviewer, name=name)
    assert queries() == few


def test_the_share_catalog_reads_a_fixed_number_of_queries_whatever_its_size(client, officer, reviewer, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/catalog/dcat").streaming_content)
        return len(captured.captured_queries)

    client.force_login(staff)
    published(officer, reviewer, name="资源甲")
    queries()  # the session's first request writes it once
    few = queries()
    for name in ("资源乙", "资源丙", "资源丁"):
        published(officer, reviewer, name=name)
    assert queries() == few
