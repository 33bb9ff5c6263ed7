"""O2: a published dataset gets its next version, through the API (`POST /api/open/versions/` with
`dataset`) and through the pages; the bureau's approval publishes it and supersedes the old one.

SECURITY.md 14.10: re-publishing an existing dataset answered 500 ("FOR UPDATE cannot be applied to the
nullable side of an outer join"): the dataset row was locked with its nullable catalog entry joined."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.services import loads
from openness.models import Dataset, DatasetVersion
from openness.services import publishing, uploads
from tests.openness.factories import SAFE_RULES, company, csv_upload, published_dataset

pytestmark = pytest.mark.django_db


def _approve(reviewer, version_id):
    api = APIClient()
    api.force_authenticate(reviewer)
    response = api.post(f"/api/open/versions/{version_id}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _assert_v2_supersedes_v1(dataset):
    numbers = dict(DatasetVersion.objects.filter(dataset=dataset).values_list("number", "status"))
    assert numbers == {1: "superseded", 2: "published"}
    assert Dataset.objects.get(pk=dataset.pk).published_version.number == 2


@pytest.mark.parametrize("with_entry", [True, False], ids=["dataset-and-entry", "dataset-only"])
def test_a_catalog_dataset_is_republished_through_the_api(officer, reviewer, with_entry):
    dataset, _v1 = published_dataset(officer, reviewer)
    loads.load_start(actor=officer, entry=dataset.entry, upload=csv_upload([company(n) for n in range(10, 13)]))
    api = APIClient()
    api.force_authenticate(officer)
    body = {"dataset": dataset.pk, "items": SAFE_RULES, "change_note": "三月数据"}
    if with_entry:
        body["entry"] = dataset.entry_id  # without it, the dataset's own catalog resource
    created = api.post("/api/open/versions/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "submitted" and created.json()["row_count"] == 3
    _approve(reviewer, created.json()["id"])
    _assert_v2_supersedes_v1(dataset)


def test_an_uploaded_dataset_is_republished_through_the_api(officer, reviewer):
    first = uploads.upload_create(
        actor=officer,
        department=officer.department,
        upload=SimpleUploadedFile("a.csv", "区县,件数\n城关区,3\n".encode()),
    )
    columns = [{"key": c["key"]} for c in first.columns]
    v1 = publishing.version_propose(
        actor=officer,
        upload=first,
        items=columns,
        metadata={
            "title": "工单统计",
            "summary": "各区县工单",
            "update_frequency": "monthly",
            "open_type": "unconditional",
        },
    )
    publishing.version_approve(actor=reviewer, version=v1)
    second = uploads.upload_create(
        actor=officer,
        department=officer.department,
        upload=SimpleUploadedFile("b.csv", "区县,件数\n城关区,4\n堆龙德庆区,1\n".encode()),
    )
    api = APIClient()
    api.force_authenticate(officer)
    created = api.post(
        "/api/open/versions/",
        {
            "dataset": v1.dataset_id,
            "upload": second.pk,
            "items": columns,
            "title": "工单统计",
            "summary": "各区县工单",
            "update_frequency": "monthly",
            "open_type": "unconditional",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    _approve(reviewer, created.json()["id"])
    _assert_v2_supersedes_v1(v1.dataset)


def test_a_catalog_dataset_is_republished_from_the_page(client, officer, reviewer):
    from tests.openness.test_publishing_pages import KEYS, form_data

    dataset, _v1 = published_dataset(officer, reviewer)
    loads.load_start(actor=officer, entry=dataset.entry, upload=csv_upload([company(20)]))
    client.force_login(officer)
    response = client.post(
        reverse("openness:propose_entry", args=[dataset.entry_id]),
        form_data(KEYS, {"legal_rep": {"rule": "keep_first", "first": 1}}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = DatasetVersion.objects.get(dataset=dataset, status="submitted")
    _approve(reviewer, version.pk)
    _assert_v2_supersedes_v1(dataset)
