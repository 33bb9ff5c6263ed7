"""Issue 17 part 2: schema.org Dataset JSON-LD in each public dataset page (escaped so that no title can close
the script), sitemap.xml of the public pages and open datasets, robots.txt keeping crawlers out of staff areas;
the open-data home and the catalog list announce their DCAT alternates."""

import json
import re

import pytest
from django.urls import reverse

from openness.services import publishing
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


def _schema_org(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no schema.org block"
    return json.loads(match.group(1))


def test_a_dataset_page_carries_its_schema_org_dataset(client, officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, name="企业</script><b>登记", theme="市场监管")
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert "</script><b>" not in page.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = _schema_org(page)
    assert data["@type"] == "Dataset" and data["name"] == "企业</script><b>登记"
    assert data["creator"]["identifier"] == dataset.department.uscc
    assert {d["encodingFormat"] for d in data["distribution"]} >= {"text/csv", "application/json"}


def test_the_sitemap_lists_public_pages_and_open_datasets_only(client, officer, reviewer):
    shown, _v = published_dataset(officer, reviewer, name="企业登记信息")
    gone, _v = published_dataset(officer, reviewer, name="停用的企业信息")
    publishing.dataset_withdraw(actor=officer, dataset=gone, reason="来源系统停用")
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-datasets.xml" in index and "sitemap-pages.xml" in index
    datasets = client.get("/sitemap-datasets.xml").content.decode()
    assert f"/open/datasets/{shown.pk}/" in datasets and f"/open/datasets/{gone.pk}/" not in datasets
    assert "/open/guide/" in client.get("/sitemap-pages.xml").content.decode()
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_keeps_crawlers_to_the_public_parts(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /accounts/" in text and "Disallow: /api/" in text
    assert "Allow: /api/open/datasets/" in text and "Sitemap: http://testserver/sitemap.xml" in text


def test_the_catalog_pages_announce_their_dcat(client, staff):
    home = client.get(reverse("open_data_home")).content.decode()
    assert '<link rel="alternate" type="application/ld+json" href="/open/catalog.jsonld">' in home
    assert '<link rel="alternate" type="text/turtle" href="/open/catalog.ttl">' in home
    client.force_login(staff)
    listing = client.get(reverse("catalog:list")).content.decode()
    assert 'type="application/ld+json" href="/catalog/catalog.jsonld"' in listing


def test_a_large_sitemap_is_paged_in_its_index(client, officer, reviewer, monkeypatch):
    """The sitemap protocol's 50,000 URLs a file: the index names each page of a section (here 1 a page)."""
    from interop.dcat import seo

    for name in ("企业甲", "企业乙"):
        published_dataset(officer, reviewer, name=name)
    monkeypatch.setattr(seo.OpenDatasets, "limit", 1)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-datasets.xml?p=2" in index
    assert client.get("/sitemap-datasets.xml?p=2").status_code == 200
    assert client.get("/sitemap-datasets.xml?p=3").status_code == 404
