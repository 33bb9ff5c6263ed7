"""P4: the open-data pages are Chinese first and switch to English (openness/locale)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _compiled():
    call_command("compiletranslations")


def test_open_data_pages_switch_to_english(client, officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer)
    assert "数据预览" in client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert "Preview" in page and "Version history" in page and "Keep the first 1" in page
    listing = client.get(reverse("openness:datasets")).content.decode()
    assert "Most downloaded" in listing and "1 dataset" in listing
    assert "Negative list of data not opened" in client.get(reverse("openness:negative_list")).content.decode()


def test_api_messages_follow_the_language(client):
    response = client.get("/api/open/datasets/", {"sort": "bad"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["errors"]["sort"] == ["Invalid sort order."]
    response = client.get("/api/open/datasets/", HTTP_X_API_KEY="od_12345678_nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.json()["detail"] == "The API key is invalid or has been revoked."


def test_download_refusals_follow_the_language():
    """The refusals' messages are class attributes: read lazily, in the language of the request (a
    gettext() at import would fix them in the language active then)."""
    from django.utils import translation

    from openness.services.usage import DatasetWithdrawnError

    with translation.override("en"):
        assert (
            str(DatasetWithdrawnError().message) == "This dataset has been withdrawn and can no longer be downloaded."
        )
    with translation.override("zh-hans"):
        assert str(DatasetWithdrawnError().message) == "该数据集已撤回，不再提供下载。"
