"""SECURITY.md 14.1, 14.2: every read of a version's rows asks about the version actually served; the
review page of a version is for its department's data officers and the bureau; a withdrawal
withdraws every version; every row read is audited. (The whole table: test_version_walk.py.)"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from openness.models import DatasetVersion
from openness.services import applications, publishing
from portal.errors import InvalidTransitionError
from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role
from tests.openness.factories import (
    approved_application,
    company,
    entry_with_rows,
    propose,
    publish_upload,
    recatalogue,
)

pytestmark = pytest.mark.django_db(transaction=True)  # downloads stream on a connection of their own


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.fixture
def app_then_open(officer, reviewer):
    """The issue's case: v1 依申请开放, superseded by a 无条件开放 v2."""
    v1 = publish_upload(officer, reviewer, [company(1, note="第一版")], open_type="on_application")
    publish_upload(officer, reviewer, [company(2, note="第二版")], open_type="unconditional", dataset=v1.dataset)
    return v1.dataset


def test_a_superseded_on_application_version_needs_an_application_though_its_successor_is_open(
    client, app_then_open, officer, public_user
):
    dataset = app_then_open
    v1_csv = reverse("openness:version_download", args=[dataset.pk, 1, "csv"])
    refused = client.get(v1_csv)
    assert refused.status_code == 403 and "第一版" not in body(refused)
    assert "依申请开放" in body(refused) and "申请数据" not in body(refused)  # no new applications for it
    rows = APIClient().get(f"/api/open/datasets/{dataset.pk}/rows/", {"version": 1})
    assert rows.status_code == 403 and rows.json()["code"] == "application_required"
    assert rows.json()["detail"].startswith("该版本依申请开放")
    assert "第二版" in body(client.get(reverse("openness:version_download", args=[dataset.pk, 2, "csv"])))
    denied = AuditEntry.objects.filter(action="openness.download", outcome="denied").latest("id")
    assert denied.detail["version"] == 1 and denied.detail["reason"] == "application_required"
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert 'data-testid="version-refused-1"' in page and 'data-testid="version-download-1-csv"' not in page


def test_an_application_approved_while_v1_was_current_opens_v1(client, officer, reviewer, public_user):
    v1 = publish_upload(officer, reviewer, [company(1, note="第一版")], open_type="on_application")
    approved_application(v1.dataset, public_user, officer)
    publish_upload(officer, reviewer, [company(2, note="第二版")], open_type="unconditional", dataset=v1.dataset)
    client.force_login(public_user)
    assert "第一版" in body(client.get(reverse("openness:version_download", args=[v1.dataset_id, 1, "json"])))


def test_an_unconditional_v1_stays_open_under_an_on_application_v2(client, officer, reviewer):
    v1 = publish_upload(officer, reviewer, [company(1, note="第一版")], open_type="unconditional")
    publish_upload(officer, reviewer, [company(2, note="第二版")], open_type="on_application", dataset=v1.dataset)
    assert "第一版" in body(client.get(reverse("openness:version_download", args=[v1.dataset_id, 1, "csv"])))
    assert client.get(reverse("openness:download", args=[v1.dataset_id, "csv"])).status_code == 403


def test_the_review_page_is_for_the_department_and_the_bureau_and_its_rows_are_audited(
    client, app_then_open, officer, reviewer
):
    version = DatasetVersion.objects.get(dataset=app_then_open, number=2)
    url = reverse("openness:version", args=[version.pk])
    for user in (
        user_with_role(Role.PUBLIC),
        user_with_role(Role.DEPARTMENT_STAFF, department=officer.department),
        user_with_role(Role.DATA_OFFICER, department=DepartmentFactory()),
        user_with_role(Role.AUDITOR),
        user_with_role(Role.BUREAU_ADMIN),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.primary_role
    for user in (officer, reviewer):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200 and "第二版" in page.content.decode()
        entry = AuditEntry.objects.filter(action="openness.preview", actor_id=user.pk).latest("id")
        assert entry.detail == {
            "dataset": app_then_open.pk,
            "version": 2,
            "status": "published",
            "rows": 1,
            "page": "review",
        }


def test_the_dataset_page_preview_is_audited(client, app_then_open):
    client.get(reverse("openness:dataset", args=[app_then_open.pk]), REMOTE_ADDR="203.0.113.9")
    entry = AuditEntry.objects.get(action="openness.preview")
    assert entry.actor_id is None and entry.client_ip == "203.0.113.9"
    assert entry.detail["page"] == "dataset" and entry.detail["version"] == 2


def test_a_withdrawal_withdraws_every_version(client, app_then_open, officer, reviewer, public_user):
    publishing.dataset_withdraw(actor=officer, dataset=app_then_open, reason="来源系统停用")
    statuses = dict(DatasetVersion.objects.filter(dataset=app_then_open).values_list("number", "status"))
    assert statuses == {1: "withdrawn", 2: "withdrawn"}
    entry = AuditEntry.objects.get(action="openness.dataset.withdraw")
    assert entry.detail["number"] == 2 and entry.detail["superseded_withdrawn"] == [1]
    for number in (1, 2):
        response = client.get(reverse("openness:version_download", args=[app_then_open.pk, number, "csv"]))
        assert response.status_code == 410 and "撤回" in body(response)
        rows = APIClient().get(f"/api/open/datasets/{app_then_open.pk}/rows/", {"version": number})
        assert rows.status_code == 410 and rows.json()["code"] == "withdrawn"
    client.force_login(reviewer)
    v1 = DatasetVersion.objects.get(dataset=app_then_open, number=1)
    page = client.get(reverse("openness:version", args=[v1.pk])).content.decode()
    assert "第一版" not in page and 'data-testid="preview-refused"' in page and "撤回" in page


def test_datasets_withdrawn_before_get_their_superseded_versions_withdrawn_by_the_migration(app_then_open, officer):
    publishing.dataset_withdraw(actor=officer, dataset=app_then_open, reason="来源系统停用")
    # as a withdrawal before the fix of SECURITY.md 14.2 left it: the superseded version kept its status
    DatasetVersion.objects.filter(dataset=app_then_open, number=1).update(status="superseded")
    migration = importlib.import_module("openness.migrations.0002_withdraw_superseded_versions")
    migration.withdraw_superseded(django_apps, None)
    assert DatasetVersion.objects.get(dataset=app_then_open, number=1).status == "withdrawn"


def test_a_resource_recatalogued_not_open_stops_serving_its_dataset_and_taking_applications(
    client, officer, reviewer, public_user
):
    entry = entry_with_rows(
        officer, [company(1, note="目录数据")], reviewer=reviewer, open_type="on_application", open_condition="须申请"
    )
    version = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
    approved_application(version.dataset, public_user, officer)
    client.force_login(public_user)
    url = reverse("openness:download", args=[version.dataset_id, "csv"])
    assert "目录数据" in body(client.get(url))
    recatalogue(officer, reviewer, entry, open_type="not_open", open_condition="涉及商业秘密")
    refused = client.get(url)
    assert refused.status_code == 403 and "不予开放" in body(refused) and "目录数据" not in body(refused)
    page = client.get(reverse("openness:dataset", args=[version.dataset_id])).content.decode()
    assert "目录数据" not in page and 'data-testid="download-refused-reason"' in page
    with pytest.raises(InvalidTransitionError) as refusal:
        applications.application_submit(
            actor=user_with_role(Role.PUBLIC), dataset=version.dataset, purpose="研究", intended_use="统计"
        )
    assert "不予开放" in str(refusal.value)
    client.force_login(officer)  # the providing department still sees its own rows
    assert "目录数据" in body(client.get(url))
