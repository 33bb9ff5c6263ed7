"""SECURITY.md 14.10: an id in a catalog API path that is not a positive integer is a 404 saying so, never a 500."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.services import duties
from tests.catalog.factories import published

pytestmark = pytest.mark.django_db

BAD_IDS = ["null%2Cnull", "null,null", "1,2", "abc", "1.5", "-1", "0", "%EF%BC%91", "99999999999999999999999"]
ROUTES = [
    ("post", "/api/catalog/duties/{}/confirm/"),
    ("get", "/api/catalog/entries/{}/"),
    ("post", "/api/catalog/entries/{}/submit/"),
    ("get", "/api/catalog/entries/{}/rows/"),
    ("get", "/api/catalog/loads/{}/"),
    ("post", "/api/catalog/loads/{}/remove/"),
]


@pytest.mark.parametrize("method, route", ROUTES)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_id_that_is_not_a_positive_integer_is_a_404_with_its_reason(method, route, bad, officer, reviewer):
    published(officer, reviewer)
    duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="法规修订",
        effective_date=timezone.localdate(),
    )
    client = APIClient()
    client.force_authenticate(officer)
    response = getattr(client, method)(route.format(bad), {}, format="json")
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["code"] in ("not_found", "404")
    if "," in bad or bad in ("abc", "-1", "0"):  # the view's own check gives the reason (a dot never reaches it)
        assert "编号" in body["detail"] and "正整数" in body["detail"]


def test_a_real_duty_is_still_confirmed(officer, reviewer):
    published(officer, reviewer)
    change = duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="法规修订",
        effective_date=timezone.localdate(),
    )
    duty = change.duties.first()
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post(f"/api/catalog/duties/{duty.pk}/confirm/", {"note": "无需变更"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] != "open"
