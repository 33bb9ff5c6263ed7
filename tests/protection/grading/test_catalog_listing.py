"""Grades in the catalog: facet and filter, export, API and DCAT (Lhasa art. 39; docs/grading.md)."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog import selectors
from catalog.services import entries
from tests.catalog.factories import content, items

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(officer, reviewer):
    def make(name, level, category="general", item_level=None):
        rows = items()
        for row in rows:
            row["grade_level"] = item_level or level
        entry = entries.entry_create(
            actor=officer,
            department=officer.department,
            content=content(name=name, grade_level=level, grade_category=category),
            items=rows,
        )
        entries.entry_submit(actor=officer, entry=entry)
        entries.entry_approve(actor=reviewer, entry=entry)
        return entry

    return {
        "public": make("公开的营业执照", 1),
        "internal": make("内部的营业执照", 2),
        "important": make("重要的营业执照", 2, "important"),
    }


def test_the_catalog_counts_and_filters_grades(graded, staff):
    result = selectors.search_versions(staff, q="营业执照")
    assert dict(result.facets["grade_level"]) == {1: 1, 2: 2}
    assert dict(result.facets["grade_category"]) == {"general": 2, "important": 1}
    names = {v.name for v in selectors.search_versions(staff, filters={"grade_level": "2"}).versions}
    assert names == {"内部的营业执照", "重要的营业执照"}
    assert not selectors.search_versions(staff, filters={"grade_level": "x'"}).versions.exists()
    names = {v.name for v in selectors.search_versions(staff, filters={"grade_category": "important"}).versions}
    assert names == {"重要的营业执照"}


def test_the_list_page_shows_the_grade_facets(graded, client, staff):
    client.force_login(staff)
    page = client.get(reverse("catalog:list"), {"grade_level": "1"}).content.decode()
    assert 'data-testid="facet-grade_level"' in page and 'class="fw-bold">1 公开</a>' in page
    assert 'data-testid="facet-grade_category"' in page
    assert "公开的营业执照" in page and "内部的营业执照" not in page


def test_the_export_names_each_entrys_grade(graded, client, staff):
    client.force_login(staff)
    response = client.get(reverse("catalog:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-2:] == ["数据分级", "分级状态"]
    by_name = {row[1]: row[-2:] for row in rows[1:]}
    assert by_name["公开的营业执照"] == ["1 公开", "已确认"] and by_name["重要的营业执照"] == ["重要数据", "已确认"]


def test_dcat_states_the_grade_as_a_rights_statement(graded, client, staff):
    client.force_login(staff)
    document = json.loads(client.get(reverse("catalog:export_dcat")).content)
    rights = {d["dct:title"]: d["dct:rights"] for d in document["dcat:dataset"]}
    assert rights["内部的营业执照"]["@type"] == "dct:RightsStatement"
    assert rights["内部的营业执照"]["rdfs:label"] == "2 内部" and rights["重要的营业执照"]["dct:type"] == "important"


def test_the_api_shows_and_filters_grades(graded, staff):
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get("/api/catalog/entries/", {"grade_level": "1"}).json()
    assert [hit["name"] for hit in body["results"]] == ["公开的营业执照"]
    assert {f["value"] for f in body["facets"]["grade_level"]} == {1}
