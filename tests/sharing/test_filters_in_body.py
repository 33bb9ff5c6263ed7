"""SECURITY.md 14.14: filter values on masked items travel in a POST body, never in a URL (query strings
end up in access logs). GET keeps working for filters on items that are not masked."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from sharing.models import GrantUse
from sharing.services import applications
from tests.sharing import factories
from tests.sharing.test_api import token_client


@pytest.fixture
def grant(world):
    application = factories.apply(world, items=["id_number", "name", "district"])
    return applications.application_approve(actor=world.provider_officer, application=application)


def test_the_api_takes_a_masked_identifier_filter_in_a_post_body_and_refuses_it_in_the_url(world, grant):
    api = token_client(world.applicant)
    person = world.rows[5]
    path = f"/api/sharing/grants/{grant.pk}/query/"
    posted = api.post(path, {"filters": {"id_number": person["id_number"]}, "page_size": 5}, format="json")
    assert posted.status_code == 200, posted.content
    assert posted.json()["count"] == 1 and posted.json()["rows"][0]["district"] == person["district"]

    in_url = api.get(path, {"id_number": person["id_number"]})
    assert in_url.status_code == 400 and in_url.json()["code"] == "masked_filter_in_url"
    assert "POST" in in_url.json()["detail"]
    refusal = AuditEntry.objects.get(action="sharing.grant.query", outcome="denied", object_id=str(grant.pk))
    assert refusal.detail["code"] == "masked_filter_in_url" and person["id_number"] not in str(refusal.detail)
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="masked_filter_in_url").count() == 1

    # filters on items that are not masked still work in the URL
    plain = api.get(path, {"district": "西山县", "page_size": 2})
    assert plain.status_code == 200 and plain.json()["count"] == 5


def test_the_api_posts_statistics_and_pull_parameters_too(world):
    stats = applications.application_approve(
        actor=world.provider_officer,
        application=factories.apply(world, items=["district", "amount"], mode="statistics"),
    )
    api = token_client(world.applicant)
    answer = api.post(
        f"/api/sharing/grants/{stats.pk}/statistics/",
        {"group_by": ["district"], "measures": ["sum:amount"]},
        format="json",
    )
    assert answer.status_code == 200 and {g["group"]["district"] for g in answer.json()["groups"]} == {
        "东城区",
        "西山县",
    }
    bad = api.post(f"/api/sharing/grants/{stats.pk}/statistics/", {"filters": "district=东城区"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_the_query_page_posts_its_filters(world, grant, client):
    client.force_login(world.applicant)
    page = client.get(reverse("sharing:grant", args=[grant.pk])).content.decode()
    form = page[page.index('data-testid="query-form"') - 200 : page.index('data-testid="query-form"')]
    assert 'method="post"' in form and "hx-post" in form
    person = world.rows[1]
    url = reverse("sharing:grant_query", args=[grant.pk])
    posted = client.post(url, {"f_id_number": person["id_number"]}, HTTP_HX_REQUEST="true")
    assert posted.status_code == 200 and "共 1 行" in posted.content.decode()
    in_url = client.get(url, {"f_id_number": person["id_number"]})
    assert in_url.status_code == 400 and "POST" in in_url.content.decode()
    assert client.get(url, {"f_district": "南湖区"}, HTTP_HX_REQUEST="true").status_code == 200
