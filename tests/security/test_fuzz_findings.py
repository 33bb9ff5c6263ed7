"""What the API fuzzer (test_fuzzing.py) found, each pinned by the one request that showed it."""

import pytest
from rest_framework.test import APIClient

from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HUGE_PAGE = "1680985177068991488"  # (page - 1) * page_size is beyond PostgreSQL's bigint


@pytest.mark.parametrize("path", ["/api/open/datasets/", "/api/open/negative-list/"])
def test_a_page_beyond_any_list_is_refused_with_400_not_a_500(path):
    response = APIClient().get(path, {"page": HUGE_PAGE})
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["page"]


def test_the_last_page_the_open_lists_take_is_answered():
    response = APIClient().get("/api/open/datasets/", {"page": 100_000})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_huge_page_of_a_dataset_s_rows_is_not_a_500():
    from tests.openness.factories import published_dataset

    officer = user_with_role(Role.DATA_OFFICER)
    dataset, _version = published_dataset(officer, user_with_role(Role.BUREAU_REVIEWER))
    response = APIClient().get(f"/api/open/datasets/{dataset.pk}/rows/", {"page": HUGE_PAGE, "page_size": 1000})
    assert response.status_code in (200, 400), response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/catalog/entries/?category=a%00b",
        "/catalog/?category=a%00b",
        "/api/open/datasets/?theme=a%00b",
        "/open/?theme=a%00b",
    ],
)
def test_a_facet_value_with_a_nul_matches_nothing_and_is_not_a_500(url):
    from django.test import Client

    client = Client()
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF))
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        body = response.json()
        assert body["count"] == 0 and body["results"] == []
