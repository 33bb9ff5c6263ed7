"""Issue 17 part 1: both catalogs are valid DCAT-AP 3.0 (pyshacl, the official shapes + range + MDR vocabulary
shapes, 0 violations) in JSON-LD, Turtle and RDF/XML, for generated edge cases: Chinese text, missing optional
fields, a republished dataset (DCAT 3 versions), stale and withdrawn datasets, a dataset without a download,
an entry not shared. The plain export the portal had before (strings where IRIs are required) does not pass."""

import datetime as dt

import pytest
from django.utils import timezone
from rdflib import RDF, Literal, Namespace, URIRef

from catalog import exchange
from catalog.models import EntryVersion
from openness.models import Dataset, DatasetVersion
from openness.services import publishing
from openness.tasks import mark_stale
from tests.catalog.factories import published
from tests.interop.dcat.conftest import graph_of
from tests.interop.dcat.shacl import violations
from tests.openness.factories import published_dataset, republish

pytestmark = pytest.mark.django_db

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
EU = "http://publications.europa.eu/resource/authority/"
PARSERS = {"jsonld": "json-ld", "ttl": "turtle", "rdf": "xml"}


@pytest.fixture
def world(officer, reviewer):
    """An unconditional dataset republished once, one on application without theme, a stale one, a withdrawn
    one, one whose rows were never materialised; a shared and a not-shared catalog entry."""
    republished, _v = published_dataset(officer, reviewer, name="企业登记信息", theme="市场监管")
    republish(officer, reviewer, republished)
    restricted, _v = published_dataset(
        officer, reviewer, name="依申请的企业信息", open_type="on_application", open_condition="用于科研", theme=""
    )
    stale, _v = published_dataset(officer, reviewer, name="每日更新的企业信息", update_frequency="daily")
    Dataset.objects.filter(pk=stale.pk).update(update_due_at=timezone.now() - dt.timedelta(hours=2))
    assert mark_stale() == 1
    withdrawn, _v = published_dataset(officer, reviewer, name="停用系统的企业信息")
    publishing.dataset_withdraw(actor=officer, dataset=withdrawn, reason="数据来源系统停用")
    bare, version = published_dataset(officer, reviewer, name="尚无文件的企业信息", update_frequency="irregular")
    DatasetVersion.objects.filter(pk=version.pk).update(table_name="")  # edge case: nothing to download
    published(
        officer, reviewer, name="内部线索", share_type="not_shared", open_type="not_open", legal_basis="《保密法》"
    )
    return {"republished": republished, "restricted": restricted, "stale": stale, "withdrawn": withdrawn, "bare": bare}


def _dataset_iri(dataset):
    return URIRef(f"http://testserver/open/datasets/{dataset.pk}/")


@pytest.mark.parametrize("fmt", ["jsonld", "ttl", "rdf"])
def test_the_open_data_catalog_has_no_violation(client, world, shapes, fmt):
    response = client.get(f"/open/catalog.{fmt}")
    assert response.status_code == 200
    graph = graph_of(response, PARSERS[fmt])
    conforms, report = violations(graph, shapes)
    assert conforms, report

    datasets = set(graph.objects(URIRef("http://testserver/open/catalog"), DCAT.dataset))
    assert _dataset_iri(world["stale"]) in datasets and _dataset_iri(world["withdrawn"]) not in datasets
    assert len(datasets) == 4
    main = _dataset_iri(world["republished"])
    assert (main, DCT.title, Literal("企业登记信息", lang="zh")) in graph
    assert (main, DCT.accessRights, URIRef(EU + "access-right/PUBLIC")) in graph
    assert (main, DCT.accrualPeriodicity, URIRef(EU + "frequency/MONTHLY")) in graph
    v1, v2 = URIRef(f"{main}#v1"), URIRef(f"{main}#v2")
    assert {v1, v2} == set(graph.objects(main, DCAT.hasVersion))
    assert (v2, DCAT.previousVersion, v1) in graph and (main, DCAT.version, Literal("2")) in graph
    assert (v1, RDF.type, DCAT.Dataset) in graph
    media = {str(m) for d in graph.objects(main, DCAT.distribution) for m in graph.objects(d, DCAT.mediaType)}
    assert "https://www.iana.org/assignments/media-types/text/csv" in media
    assert (_dataset_iri(world["restricted"]), DCT.accessRights, URIRef(EU + "access-right/RESTRICTED")) in graph
    assert not list(graph.objects(_dataset_iri(world["bare"]), DCAT.distribution))
    publisher = next(graph.objects(main, DCT.publisher))
    assert (publisher, DCT.identifier, Literal(world["republished"].department.uscc)) in graph


@pytest.mark.parametrize("fmt", ["jsonld", "ttl", "rdf"])
def test_the_share_catalog_has_no_violation_and_hides_what_is_not_shared(client, world, shapes, staff, fmt):
    client.force_login(staff)
    url = "/catalog/catalog.jsonld" if fmt == "jsonld" else f"/catalog/catalog.{fmt}"
    graph = graph_of(client.get(url), PARSERS[fmt])
    conforms, report = violations(graph, shapes)
    assert conforms, report
    titles = {str(t): s for s, t in graph.subject_objects(DCT.title) if (s, RDF.type, DCAT.Dataset) in graph}
    hidden = titles["内部线索"]
    assert (hidden, DCT.accessRights, URIRef(EU + "access-right/NON_PUBLIC")) in graph
    assert not list(graph.objects(hidden, DCAT.keyword)) and not list(graph.objects(hidden, DCAT.theme))
    assert "不予共享" in str(next(graph.objects(hidden, DCT.description)))
    shared = titles["企业登记信息"]
    assert list(graph.objects(shared, DCAT.keyword)) and list(graph.objects(shared, DCAT.distribution))


def test_the_shapes_catch_the_plain_export_the_portal_had(officer, reviewer, shapes):
    """Without the DCAT-AP mapping the same entries fail: the validation is not vacuous."""
    published(officer, reviewer, name="企业营业执照信息")
    import json

    from rdflib import Graph

    versions = EntryVersion.objects.filter(status="published")
    old = exchange.dcat(versions, base_url="http://testserver", title="平台")
    conforms, report = violations(Graph().parse(data=json.dumps(old), format="json-ld"), shapes)
    assert not conforms and "accessRights" in report
