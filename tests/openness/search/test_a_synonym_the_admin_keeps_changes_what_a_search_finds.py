"""Issue 18 part 8, end to end: a synonym the bureau admin adds on the page (or through the API) makes a
citizen's search for 养老院 find the dataset titled 养老机构 by the AND path, marked; once deleted, the
same search is back to the partial-match fallback."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db

SEARCH = reverse("openness:datasets")


def _citizen_search(q):
    page = Client().get(SEARCH, {"q": q})
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def elderly(officer, reviewer):
    published_dataset(officer, reviewer, name="养老机构", theme="社会保障", summary="全市名录")
    published_dataset(officer, reviewer, name="学校基本信息", theme="教育", summary="全市中小学")


def test_a_synonym_added_on_the_page_lets_yanglaoyuan_find_the_elderly_care_dataset(client, bureau_admin, elderly):
    before = _citizen_search("养老院")
    assert 'data-testid="partial-match"' in before  # only the OR fallback, on 养老

    client.force_login(bureau_admin)
    assert client.post(reverse("catalog:synonyms"), {"term": "养老院", "synonyms": "养老机构"}).status_code == 302
    after = _citizen_search("养老院")
    assert 'data-testid="partial-match"' not in after
    assert "<mark>养老机构</mark>" in after and after.count('data-testid="dataset-result"') == 1

    from catalog.synonyms import SearchSynonym

    row = SearchSynonym.objects.get(term="养老院")
    client.post(reverse("catalog:synonym_delete", args=[row.pk]))
    assert 'data-testid="partial-match"' in _citizen_search("养老院")


def test_a_synonym_changed_through_the_api_changes_the_search_at_once(client, bureau_admin, elderly):
    client.force_login(bureau_admin)
    created = client.post(
        reverse("catalog-synonym-list"),
        json.dumps({"term": "养老院", "synonyms": ["敬老院"]}),
        content_type="application/json",
    ).json()
    assert 'data-testid="partial-match"' in _citizen_search("养老院")  # 敬老院 is nowhere either
    client.patch(
        reverse("catalog-synonym-detail", args=[created["id"]]),
        json.dumps({"synonyms": ["敬老院", "养老机构"]}),
        content_type="application/json",
    )
    page = _citizen_search("养老院")
    assert 'data-testid="partial-match"' not in page and "<mark>养老机构</mark>" in page
