"""P5: the REST API shell: session and token authentication, OpenAPI schema, local docs, error bodies."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_schema_endpoint_serves_openapi_3(api, staff):
    api.force_authenticate(staff)  # issue 17 part 8: for signed-in staff
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/calendar/deadline/" in schema["paths"]
    assert "/api/me/" in schema["paths"]


def test_docs_page_loads_its_assets_from_the_portal(api, staff):
    api.force_authenticate(staff)
    body = api.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()


def test_token_authentication(api, officer, password):
    response = api.post(reverse("api_token"), {"username": officer.username, "password": password}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert AuditEntry.objects.filter(action="auth.token_issued", actor_id=officer.pk).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me/").json()
    assert me["username"] == officer.username
    assert me["roles"][0]["code"] == "data_officer"


def test_wrong_password_for_a_token_is_a_400_in_chinese(api, officer):
    response = api.post(reverse("api_token"), {"username": officer.username, "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码不正确。"


def test_unauthenticated_is_401_or_403_with_a_chinese_message(api):
    response = api.get("/api/me/")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert "身份认证" in body["detail"] or "认证" in body["detail"]


def test_missing_object_is_a_404_body(api, staff):
    api.force_authenticate(staff)
    response = api.get("/api/departments/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"]


def test_unknown_api_path_answers_json(api):
    response = api.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"] == "页面不存在。"


def test_bad_input_is_a_400_with_field_errors_never_a_500(api, staff):
    api.force_authenticate(staff)
    for query in (
        {"start": "not-a-date", "days": "5"},
        {"start": "2026-04-30", "days": "-1"},
        {"start": "2026-04-30", "days": "abc"},
        {},
        {"start": "2026-13-45", "days": "5"},
        {"start": "2026-04-30", "days": "99999999999999999999"},
    ):
        response = api.get("/api/calendar/deadline/", query)
        assert response.status_code == 400, query
        body = response.json()
        assert body["code"] == "invalid" and body["detail"] == "提交的数据有误，请检查后重试。"
        assert body["errors"]


def test_deadline_endpoint(api, staff):
    api.force_authenticate(staff)
    response = api.get("/api/calendar/deadline/", {"start": "2026-04-30", "days": "5"})
    assert response.status_code == 200
    assert response.json()["deadline"].startswith("2026-05-11T23:59:59")


def test_calendar_write_needs_the_bureau_admin(api, staff, bureau_admin):
    api.force_authenticate(staff)
    response = api.put("/api/calendar/days/2027-01-01/", {"kind": "holiday", "name": "元旦"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    api.force_authenticate(bureau_admin)
    response = api.put("/api/calendar/days/2027-01-01/", {"kind": "holiday", "name": "元旦"}, format="json")
    assert response.status_code == 200, response.json()
    assert AuditEntry.objects.filter(action="portal.calendar.set", actor_id=bureau_admin.pk).exists()
    response = api.put("/api/calendar/days/2027-01-04/", {"kind": "workday", "name": "x"}, format="json")
    assert response.status_code == 400
    assert "调休上班日应为周六或周日" in response.json()["detail"]
    response = api.put("/api/calendar/days/2027-01-02/", {"kind": "bogus"}, format="json")
    assert response.status_code == 400
    assert api.delete("/api/calendar/days/2027-01-01/").status_code == 204
    assert api.delete("/api/calendar/days/2027-01-01/").status_code == 404


def test_malformed_json_is_a_400(api, bureau_admin):
    api.force_authenticate(bureau_admin)
    response = api.generic("PUT", "/api/calendar/days/2027-01-01/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_departments_list(api, staff):
    api.force_authenticate(staff)
    response = api.get("/api/departments/")
    assert response.status_code == 200
    assert response.json()["count"] >= 1
