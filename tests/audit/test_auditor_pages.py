"""A4: only auditors search, filter, open and export the log (Lhasa art. 39, 41); each of these is
itself recorded; a bureau admin can neither read it in the portal nor in the admin site."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.services import record
from portal.roles import Role
from tests.audit.conftest import make_entry
from tests.factories import DepartmentFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    health, police = DepartmentFactory(name="市卫健委"), DepartmentFactory(name="市公安局")
    nurse = user_with_role(Role.DATA_OFFICER, department=health, real_name="护士长")
    officer = user_with_role(Role.DATA_OFFICER, department=police, real_name="警官")
    entries = {
        "health_update": record("catalog.entry.update", actor=nurse, target=health, detail={"field": "summary"}),
        "health_pull": record("sharing.grant.pull", actor=nurse, detail={"rows": 10}),
        "police_update": record("catalog.entry.update", actor=officer, target=police),
        "formula": record(
            "catalog.entry.update", actor=officer, target=("catalog.resourceentry", "7", "=HYPERLINK(1)")
        ),
    }
    return {"health": health, "police": police, "nurse": nurse, "officer": officer, **entries}


def _rows(response):
    return {int(x) for x in __import__("re").findall(r'data-entry="(\d+)"', response.content.decode())}


def test_auditor_filters_by_department_and_action(client, auditor, world):
    client.force_login(auditor)
    response = client.get(reverse("audit_log"), {"department": world["health"].pk, "action": "catalog."})
    assert response.status_code == 200
    assert _rows(response) == {world["health_update"].pk}
    response = client.get(reverse("audit_log"), {"action": "catalog.entry.update"})
    assert _rows(response) == {world["health_update"].pk, world["police_update"].pk, world["formula"].pk}
    response = client.get(reverse("audit_log"), {"actor": world["nurse"].username})
    assert _rows(response) == {world["health_update"].pk, world["health_pull"].pk}
    search = AuditEntry.objects.filter(action="audit.view", actor_id=auditor.pk).order_by("id").first()
    assert search.detail["filters"] == {"department": str(world["health"].pk), "action": "catalog."}


def test_time_range_and_object_filters(client, auditor, officer):
    from django.utils import timezone

    old = make_entry(
        at=timezone.now() - timezone.timedelta(days=20),
        actor=officer,
        object_type="catalog.resourceentry",
        object_id="42",
    )
    new = make_entry(actor=officer, object_type="catalog.resourceentry", object_id="43")
    client.force_login(auditor)
    day = timezone.localtime(old.occurred_at).date().isoformat()
    assert _rows(client.get(reverse("audit_log"), {"since": day, "until": day})) == {old.pk}
    assert new.pk in _rows(client.get(reverse("audit_log"), {"since": timezone.localdate().isoformat()}))
    assert _rows(client.get(reverse("audit_log"), {"object_type": "catalog.resourceentry", "object_id": "42"})) == {
        old.pk
    }


def test_bad_filters_answer_400_in_chinese_not_500(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit_log"), {"since": "2026-13-45", "client_ip": "not-an-ip", "department": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请输入有效的日期或时间" in body and "有效的IPv4或IPv6地址" in body.replace(" ", "")
    assert client.get(reverse("audit_log"), {"cursor": "garbage"}).status_code == 400


def test_pages_follow_the_newest_first_with_a_next_link(client, auditor, officer):
    for i in range(55):
        record("test.operation", actor=officer, detail={"n": i})
    client.force_login(auditor)
    first = client.get(reverse("audit_log"), {"action": "test."})
    assert len(_rows(first)) == 50 and 'data-testid="next-page"' in first.content.decode()
    # numbered pages now (issue 19 part 8): the next link is page 2; a cursor link still pages on
    assert 'page=2" data-testid="next-page"' in first.content.decode()
    second = client.get(reverse("audit_log"), {"action": "test.", "page": "2"})
    assert len(_rows(second)) == 5 and not (_rows(first) & _rows(second))
    from audit.models import AuditEntry
    from audit.pagination import encode_cursor

    fiftieth = AuditEntry.objects.filter(action="test.operation").order_by("-occurred_at", "-id")[49]
    by_cursor = client.get(reverse("audit_log"), {"action": "test.", "cursor": encode_cursor(fiftieth)})
    assert _rows(by_cursor) == _rows(second)


def test_auditor_opens_an_entry_and_the_opening_is_recorded(client, auditor, world):
    client.force_login(auditor)
    entry = world["health_update"]
    response = client.get(reverse("audit:entry", args=[entry.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "catalog.entry.update" in body and "市卫健委" in body and "尚未封存" in body
    assert AuditEntry.objects.filter(action="audit.entry.view", object_id=str(entry.pk), actor_id=auditor.pk).exists()
    assert client.get(reverse("audit:entry", args=[999999999])).status_code == 404


def test_export_as_csv_is_recorded_and_neutralises_formulas(client, auditor, world):
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"action": "catalog.", "fmt": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["记录ID", "时间", "账号"]
    assert {int(r[0]) for r in rows[1:]} == {world["health_update"].pk, world["police_update"].pk, world["formula"].pk}
    assert any(cell == "'=HYPERLINK(1)" for r in rows for cell in r)
    export = AuditEntry.objects.get(action="audit.export", actor_id=auditor.pk)
    assert export.detail == {"format": "csv", "rows": 3, "filters": {"action": "catalog."}}


def test_export_as_excel(client, auditor, world):
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"department": world["police"].pk, "fmt": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "记录ID"
    assert {r[0] for r in rows[1:]} == {world["police_update"].pk, world["formula"].pk}
    assert "=HYPERLINK(1)" in [c for r in rows for c in r]  # kept as text, not a formula
    assert AuditEntry.objects.filter(action="audit.export", detail__format="xlsx").exists()


def test_too_large_an_export_asks_to_narrow_the_filters(client, auditor, world, settings):
    settings.AUDIT_EXPORT_MAX_ROWS = 2
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"fmt": "csv"})
    assert response.status_code == 400 and "请缩小时间范围" in response.content.decode()
    assert client.get(reverse("audit:export"), {"fmt": "pdf"}).status_code == 400


@pytest.mark.parametrize(
    "role", [Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.DATA_OFFICER, Role.DEPARTMENT_STAFF, Role.PUBLIC]
)
def test_nobody_but_the_auditor_reads_or_exports_the_log(client, role, world):
    user = user_with_role(role)
    client.force_login(user)
    entry = world["health_update"]
    for url in (
        reverse("audit_log"),
        reverse("audit:entry", args=[entry.pk]),
        reverse("audit:export"),
        reverse("audit:heads"),
    ):
        assert client.get(url).status_code == 403, url
    refusals = AuditEntry.objects.filter(actor_id=user.pk, outcome="denied")
    assert refusals.count() == 4


def test_anonymous_visitors_are_sent_to_sign_in_and_recorded(client, world):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditEntry.objects.filter(action="request.denied", detail__route="audit_log").exists()


def test_bureau_admin_cannot_see_the_log_in_the_admin_site(client, bureau_admin, world):
    client.force_login(bureau_admin)
    index = client.get(reverse("admin:index")).content.decode()
    assert "审计" not in index
    assert client.get("/admin/audit/auditentry/").status_code == 404
    assert client.get(f"/admin/audit/auditentry/{world['health_update'].pk}/change/").status_code == 404
    assert client.get("/admin/audit/").status_code == 404


def test_bureau_admin_sees_whether_the_log_is_intact_but_not_which_entries(client, bureau_admin, auditor):
    from django.utils import timezone

    from audit.models import AuditVerification

    now = timezone.now()
    AuditVerification(
        started_at=now,
        finished_at=now,
        trigger="schedule",
        ok=False,
        altered_ids=[123456789],
        blocks_checked=3,
        entries_checked=10,
    ).save()
    client.force_login(bureau_admin)
    body = client.get(reverse("audit:integrity")).content.decode()
    assert "未通过" in body and "被篡改的记录：1 条" in body and "123456789" not in body
    client.force_login(auditor)
    body = client.get(reverse("audit:integrity")).content.decode()
    assert "123456789" in body


def test_the_auditor_has_no_right_to_change_anything(auditor):
    from portal.permissions import can

    perms = set(auditor.get_all_permissions())
    assert {
        "audit.view_auditentry",
        "audit.export_auditentry",
        "audit.view_auditverification",
        "portal.view_department",
    } <= perms
    # Lhasa art. 39: whatever the apps' plugins grant the auditor (receipts, key records, incidents)
    # is a reading or an export, never a change
    assert all(p.split(".")[1].startswith(("view_", "export_")) for p in perms), sorted(perms)
    assert not can(auditor, "audit.change_auditentry")
