"""P4: the sharing pages and refusals are in Simplified Chinese by default and in English when switched."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from sharing.services import applications
from tests.sharing import factories


@pytest.fixture
def english_catalog(settings):
    call_command("compiletranslations", verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # reloads the catalogs, the sharing app's included


def test_sharing_pages_and_refusals_in_chinese_and_in_english(world, client, english_catalog):
    grant = applications.application_approve(
        actor=world.provider_officer, application=factories.apply(world, items=["district"])
    )
    client.force_login(world.applicant)
    body = client.get(reverse("sharing:grant", args=[grant.pk])).content.decode()
    assert "共享授权" in body and "使用数据" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("sharing:grant", args=[grant.pk])).content.decode()
    assert "Grant" in body and "Use the data" in body and "Granted data items" in body
    body = client.get(reverse("sharing:home")).content.decode()
    assert "Data sharing" in body and "Grants held" in body
    api = APIClient()
    api.force_authenticate(world.applicant)
    refused = api.get(f"/api/sharing/grants/{grant.pk}/query/", {"items": "name"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and refused.json()["detail"].startswith("This grant does not include")
