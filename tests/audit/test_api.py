"""A4 and A5 through the API: auditors search, read and export; the bureau sees integrity only; a
department's data officer sees its usage log. Bad input is a 400 in Chinese, never a 500."""

import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.services import record
from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = "/api/audit/entries/"


@pytest.fixture
def entries(officer, staff):
    return [
        record("catalog.entry.update", actor=officer, target=officer.department),
        record("sharing.grant.query", actor=staff),
    ]


def test_auditor_lists_and_filters(client, auditor, entries, officer):
    client.force_login(auditor)
    body = client.get(URL, {"department": officer.department_id}).json()
    assert [r["id"] for r in body["results"]] == [entries[0].pk]
    assert body["next"] is None
    body = client.get(URL, {"action": "sharing."}).json()
    assert [r["action"] for r in body["results"]] == ["sharing.grant.query"]
    assert AuditEntry.objects.filter(action="audit.api.view", actor_id=auditor.pk).count() == 2


def test_keyset_pages_through_the_api(client, auditor, officer):
    for i in range(60):
        record("test.operation", actor=officer, detail={"n": i})
    client.force_login(auditor)
    first = client.get(URL, {"action": "test."}).json()
    assert len(first["results"]) == 50 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10 and second["next"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_bad_dates_and_cursor_are_400_in_chinese(client, auditor):
    client.force_login(auditor)
    response = client.get(URL, {"since": "yesterday", "until": "2026-02-30"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "请输入有效的日期或时间" in body["errors"]["since"][0]
    assert "until" in body["errors"]
    response = client.get(URL, {"cursor": "!!"})
    assert response.status_code == 400 and "分页参数无效" in str(response.json())


def test_retrieve_is_recorded(client, auditor, entries):
    client.force_login(auditor)
    body = client.get(f"{URL}{entries[0].pk}/").json()
    assert body["action"] == "catalog.entry.update" and body["outcome_label"] == "成功"
    assert AuditEntry.objects.filter(action="audit.entry.view", object_id=str(entries[0].pk)).exists()
    assert client.get(f"{URL}999999999/").status_code == 404


def test_export_through_the_api(client, auditor, entries):
    client.force_login(auditor)
    response = client.get(f"{URL}export/", {"fmt": "xlsx", "action": "catalog."})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [entries[0].pk]
    response = client.get(f"{URL}export/", {"fmt": "csv"})
    assert response.status_code == 200 and b"catalog.entry.update" in b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(action="audit.export", actor_id=auditor.pk).count() == 2
    assert client.get(f"{URL}export/", {"fmt": "doc"}).status_code == 400


def test_token_authentication_works_for_auditors(client, auditor, entries, password):
    from django.test import Client

    from tests.otp import code_for_user

    # SECURITY.md 14.15: an auditor's token needs the second factor's code too
    token = client.post(
        "/api/auth/token/", {"username": auditor.username, "password": password, "otp_token": code_for_user(auditor)}
    ).json()["token"]
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200 and response.json()["results"]


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.DATA_OFFICER, Role.DEPARTMENT_STAFF])
def test_only_auditors_reach_the_log_api(client, role, entries):
    user = user_with_role(role)
    client.force_login(user)
    for url in (URL, f"{URL}{entries[0].pk}/", f"{URL}export/"):
        response = client.get(url)
        assert response.status_code == 403 and response.json()["detail"]
    assert AuditEntry.objects.filter(actor_id=user.pk, outcome="denied").count() == 3


def test_nothing_can_be_written_through_the_log_api(client, auditor, entries):
    client.force_login(auditor)
    for method in ("post", "put", "patch", "delete"):
        url = URL if method == "post" else f"{URL}{entries[0].pk}/"
        assert getattr(client, method)(url, {}, content_type="application/json").status_code == 405
    assert AuditEntry.objects.get(pk=entries[0].pk).action == "catalog.entry.update"


def test_integrity_for_the_bureau_without_entry_ids(client, bureau_admin, auditor, staff):
    from django.utils import timezone

    from audit.models import AuditVerification

    now = timezone.now()
    AuditVerification(started_at=now, finished_at=now, trigger="schedule", ok=False, removed_ids=[77]).save()
    client.force_login(bureau_admin)
    body = client.get("/api/audit/integrity/").json()
    assert body["verification"]["ok"] is False and body["verification"]["problems"] == 1
    assert "removed_ids" not in body["verification"]
    client.force_login(auditor)
    assert client.get("/api/audit/integrity/").json()["verification"]["removed_ids"] == [77]
    client.force_login(staff)
    assert client.get("/api/audit/integrity/").status_code == 403


def test_usage_api_shows_a_department_its_own_usage(client):
    provider, user_department = DepartmentFactory(), DepartmentFactory()
    officer = user_with_role(Role.DATA_OFFICER, department=provider)
    consumer = user_with_role(Role.DEPARTMENT_STAFF, department=user_department)
    used = record("sharing.grant.query", actor=consumer, detail={"provider_department_id": provider.pk})
    record("sharing.grant.query", actor=consumer, detail={"provider_department_id": DepartmentFactory().pk})
    client.force_login(officer)
    body = client.get("/api/audit/usage/", {"role": "provider"}).json()
    assert [r["id"] for r in body["results"]] == [used.pk]
    assert body["results"][0]["department_name"] == user_department.name
    assert client.get("/api/audit/usage/", {"role": "user"}).json()["results"] == []
    assert client.get("/api/audit/usage/", {"since": "2026-99-01"}).status_code == 400
    client.force_login(consumer)
    assert client.get("/api/audit/usage/").status_code == 403  # staff: not the department's data officer
