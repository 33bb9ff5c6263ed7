"""C5 and visibility: Chinese search inside longer names, summaries and item names; facets;
drafts only for their department and the bureau; not-shared entries show only that they exist."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.selectors import search_versions
from catalog.services import entries
from portal.roles import Role
from tests.catalog.factories import draft, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(officer, reviewer):
    licence = published(officer, reviewer, name="企业营业执照信息", summary="市场主体登记", theme="市场监管")
    penalty = published(officer, reviewer, name="行政处罚决定", summary="处罚决定书内容", theme="信用体系")
    hidden = published(
        officer,
        reviewer,
        name="内部核查线索",
        summary="营业执照核查线索",
        share_type="not_shared",
        legal_basis="《某法》第三条",
        open_type="not_open",
        open_condition="涉密",
    )
    unpublished = draft(officer, name="营业执照草稿资源")
    return {"licence": licence, "penalty": penalty, "hidden": hidden, "draft": unpublished}


def names(result):
    return {v.name for v in result.versions}


def test_search_finds_a_word_inside_a_longer_chinese_name(world):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert names(search_versions(other, q="营业执照")) == {"企业营业执照信息"}


def test_search_matches_summaries_and_item_names(world):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert "行政处罚决定" in names(search_versions(other, q="决定书"))
    assert names(search_versions(other, q="信用代码")) >= {"企业营业执照信息", "行政处罚决定"}


def test_single_character_and_latin_queries(world):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert "行政处罚决定" in names(search_versions(other, q="罚"))
    assert search_versions(other, q="zzzz").versions.count() == 0


def test_drafts_are_visible_only_to_their_department_and_the_bureau(world, officer, reviewer):
    colleague = user_with_role(Role.DEPARTMENT_STAFF, department=officer.department)
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert "营业执照草稿资源" in names(search_versions(colleague, q="营业执照"))
    assert "营业执照草稿资源" in names(search_versions(reviewer, q="营业执照"))
    assert "营业执照草稿资源" not in names(search_versions(other, q="营业执照"))


def test_not_shared_entry_summary_and_items_are_not_searchable_by_others(world):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert "内部核查线索" not in names(search_versions(other, q="营业执照"))
    assert "内部核查线索" in names(search_versions(other, q="核查线索"))


def test_facets_count_and_filter(world, officer):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    result = search_versions(other, filters={"share_type": "unconditional"})
    assert names(result) == {"企业营业执照信息", "行政处罚决定"}
    facets = dict(search_versions(other).facets["share_type"])
    assert facets == {"unconditional": 2, "not_shared": 1}
    assert dict(search_versions(other).facets["department"]) == {officer.department_id: 3}
    assert names(search_versions(other, filters={"theme": "信用体系"})) == {"行政处罚决定"}


def test_withdrawn_entries_leave_search_but_stay_announced(world, officer, client):
    entries.entry_withdraw(actor=officer, entry=world["penalty"], reason="职责调整")
    other = user_with_role(Role.DEPARTMENT_STAFF)
    assert "行政处罚决定" not in names(search_versions(other))
    client.force_login(other)
    body = client.get(reverse("catalog:withdrawn")).content.decode()
    assert "行政处罚决定" in body and "职责调整" in body


def test_search_page_and_api(world, client):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    client.force_login(other)
    body = client.get(reverse("catalog:list"), {"q": "营业执照"}).content.decode()
    assert "企业营业执照信息" in body and "内部核查线索" not in body
    api = APIClient()
    api.force_authenticate(other)
    data = api.get("/api/catalog/entries/", {"q": "营业执照", "sort": "name"}).json()
    assert [r["name"] for r in data["results"]] == ["企业营业执照信息"]
    assert {"share_type", "department"} <= set(data["facets"])
    assert api.get("/api/catalog/entries/", {"sort": "bogus"}).status_code == 400
    assert api.get("/api/catalog/entries/", {"department": "x'; drop"}).status_code == 400
    assert api.get("/api/catalog/entries/", {"q": "' OR 1=1 -- %_\\"}).status_code == 200


def test_not_shared_entry_hides_items_on_page_and_api(world, client):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    hidden = world["hidden"]
    client.force_login(other)
    body = client.get(reverse("catalog:detail", args=[hidden.pk])).content.decode()
    assert "内部核查线索" in body and "不予共享类" in body
    assert "统一社会信用代码" not in body and "营业执照核查线索" not in body
    api = APIClient()
    api.force_authenticate(other)
    data = api.get(f"/api/catalog/entries/{hidden.pk}/").json()
    assert data["details_visible"] is False
    assert "items" not in data["version"] and "summary" not in data["version"]
    assert api.get(f"/api/catalog/entries/{hidden.pk}/versions/").status_code == 403
    assert api.get(f"/api/catalog/entries/{hidden.pk}/rows/").status_code == 403


def test_others_cannot_open_a_draft(world, client):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    client.force_login(other)
    assert client.get(reverse("catalog:detail", args=[world["draft"].pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(other)
    assert api.get(f"/api/catalog/entries/{world['draft'].pk}/").status_code == 404
