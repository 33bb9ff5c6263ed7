"""The incident register in the browser pages and the API: the same services, the same refusals."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from secops.incidents.models import Incident
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_an_officer_reports_on_the_page_and_the_bureau_takes_it_in_hand(client, officer, handler):
    client.force_login(officer)
    answer = client.post(
        reverse("incidents:report"),
        {
            "title": "接口异常调用",
            "kind": "unauthorised",
            "level": "general",
            "description": "夜间大量调用。",
            "departments": [officer.department.pk],
        },
    )
    incident = Incident.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("incidents:detail", args=[incident.pk])
    assert "接口异常调用" in client.get(reverse("incidents:list")).content.decode()
    assert client.post(reverse("incidents:move", args=[incident.pk, "handle"])).status_code == 403
    client.force_login(handler)
    client.post(reverse("incidents:move", args=[incident.pk, "handle"]))
    assert Incident.objects.get().status == Incident.Status.HANDLING
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "开始处置" in page and "contain-form" in page


def test_an_other_department_does_not_see_the_incident(client, officer, make_user):
    from portal.roles import Role

    incident = reported(officer)
    other = make_user(Role.DATA_OFFICER)
    client.force_login(other)
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404


def test_the_api_reports_contains_notifies_reports_upward_and_closes(officer, staff, handler):
    api = APIClient()
    api.force_authenticate(officer)
    made = api.post(
        "/api/secops/incidents/",
        {"title": "账号被盗用", "kind": "account", "level": "major", "description": "异地登录。", "users": [staff.pk]},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.post(f"/api/secops/incidents/{pk}/move/", {"action": "handle"}, format="json").status_code == 403
    api.force_authenticate(handler)
    assert api.post(f"/api/secops/incidents/{pk}/move/", {"action": "handle"}, format="json").status_code == 200
    assert api.post(f"/api/secops/incidents/{pk}/notify/", {}, format="json").status_code == 200
    held = api.post(
        f"/api/secops/incidents/{pk}/contain/", {"kind": "user", "user": staff.pk, "reason": "盗用"}, format="json"
    )
    assert held.status_code == 200 and held.json()["containments"][0]["active"]
    bad = api.post(f"/api/secops/incidents/{pk}/move/", {"action": "close", "note": "x"}, format="json")
    assert bad.status_code == 400 and "处置中" in bad.json()["detail"]
    detail = api.post(f"/api/secops/incidents/{pk}/report-upward/", format="json").json()
    report = detail["upward_reports"][0]["id"]
    download = api.get(f"/api/secops/reports/{report}/download/")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    hold = detail["containments"][0]["id"]
    assert api.post(f"/api/secops/holds/{hold}/lift/", {"reason": "已重置"}, format="json").status_code == 200
    api.post(f"/api/secops/incidents/{pk}/move/", {"action": "contain"}, format="json")
    closed = api.post(f"/api/secops/incidents/{pk}/move/", {"action": "close", "note": "已处置。"}, format="json")
    assert closed.json()["status"] == "closed"
    assert AuditEntry.objects.filter(action="incidents.close").exists()


def test_an_evidence_file_is_kept_encrypted_and_downloaded_in_clear(client, officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secops.incidents.models import Evidence
    from secops.incidents.services.evidence import evidence_dir

    settings.MEDIA_ROOT = str(tmp_path)
    incident = reported(officer)
    client.force_login(officer)
    secret = "泄露名单：张三 110101199001011234".encode()
    client.post(
        reverse("incidents:evidence_add", args=[incident.pk]),
        {"evidence-file": SimpleUploadedFile("名单.txt", secret), "evidence-note": "外部网站截获"},
    )
    item = Evidence.objects.get(kind=Evidence.Kind.FILE)
    assert secret not in (evidence_dir() / item.file_path).read_bytes()
    assert client.get(reverse("incidents:evidence_download", args=[item.pk])).content == secret
    assert AuditEntry.objects.filter(action="incidents.evidence.add").exists()
