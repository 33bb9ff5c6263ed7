"""P3: dashboard figures equal a hand-computed expectation; the bureau sees all, a department its own;
the yearly report downloads and opens."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import ResourceEntry, UpdateDuty
from catalog.services import duties, entries
from portal.dashboard import figures
from portal.roles import Role
from tests.catalog.factories import published
from tests.factories import DepartmentFactory, user_with_role

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def seeded(reviewer):
    """Department A: 3 published entries (2 maintained within a year of 2026-12-31), 1 withdrawn;
    two update duties due in May 2026, one answered on time, one late.
    Department B: 1 published entry, never maintained in the year; no duty."""
    a, b = DepartmentFactory(name="甲局"), DepartmentFactory(name="乙局")
    officer_a = user_with_role(Role.DATA_OFFICER, department=a)
    officer_b = user_with_role(Role.DATA_OFFICER, department=b)
    e1, e2, e3 = (published(officer_a, reviewer, name=f"甲资源{n}") for n in range(3))
    gone = published(officer_a, reviewer, name="甲已撤销")
    entries.entry_withdraw(actor=officer_a, entry=gone, reason="职能调整")
    b1 = published(officer_b, reviewer, name="乙资源")
    ResourceEntry.objects.filter(pk=e3.pk).update(last_maintained_at=dt.datetime(2025, 6, 1, tzinfo=SH))
    ResourceEntry.objects.filter(pk=b1.pk).update(last_maintained_at=dt.datetime(2025, 6, 1, tzinfo=SH))
    change = duties.duty_change_record(
        actor=reviewer, department=a, kind="law", description="修订", effective_date=dt.date(2026, 4, 30)
    )  # due end of 2026-05-13
    d1, d2 = UpdateDuty.objects.filter(change=change, entry__in=[e1, e2]).order_by("entry_id")
    UpdateDuty.objects.filter(pk=d1.pk).update(status="done", done_at=dt.datetime(2026, 5, 12, 10, tzinfo=SH))
    UpdateDuty.objects.filter(pk=d2.pk).update(status="done", done_at=dt.datetime(2026, 5, 20, 10, tzinfo=SH))
    UpdateDuty.objects.filter(change=change).exclude(pk__in=[d1.pk, d2.pk]).delete()
    return a, b


def test_figures_equal_the_hand_computed_expectation(seeded):
    a, b = seeded
    data = figures.table(2026, department_ids=[a.pk, b.pk])
    rows = {r["department"].name: r for r in data["rows"]}
    va, vb = rows["甲局"]["values"], rows["乙局"]["values"]
    assert va["catalog_entries"] == 3  # the withdrawn one is not counted
    assert va["catalog_maintained_rate"] == round(100 * 2 / 3, 1)
    assert (va["catalog_duties_due"], va["catalog_duties_on_time_rate"], va["catalog_duties_overdue"]) == (2, 50.0, 1)
    assert vb["catalog_entries"] == 1 and vb["catalog_maintained_rate"] == 0.0
    assert vb["catalog_duties_due"] == 0 and vb["catalog_duties_on_time_rate"] is None
    assert va["catalog_loaded_rate"] == 0.0 and vb["catalog_loaded_rate"] == 0.0  # no data loaded yet
    assert va["catalog_graded_rate"] == 0.0  # no grade confirmed by the bureau's review yet
    # score = mean of rates with data: A (66.7 + 0 + 50 + 0) / 4, B 0 → A first
    assert rows["甲局"]["score"] == round((round(100 * 2 / 3, 1) + 0.0 + 50.0 + 0.0) / 4, 1)
    assert (rows["甲局"]["rank"], rows["乙局"]["rank"]) == (1, 2)
    assert data["city"]["catalog_entries"] == 4 and data["city"]["catalog_maintained_rate"] == 50.0


def test_monthly_series_puts_the_duties_in_may(seeded):
    a, _b = seeded
    series = figures.monthly_series(2026, department_ids=[a.pk])
    assert series["catalog_duties_due"][4] == 2 and sum(series["catalog_duties_due"]) == 2
    may = figures.table(2026, 5, department_ids=[a.pk])
    assert may["rows"][0]["values"]["catalog_duties_overdue"] == 1


def test_bureau_sees_the_ranking_and_a_department_only_its_own(seeded, reviewer, client):
    a, b = seeded
    client.force_login(reviewer)
    body = client.get(reverse("dashboard"), {"year": 2026}).content.decode()
    assert "甲局" in body and "乙局" in body and 'data-testid="ranking-table"' in body
    officer_a = a.users.first()
    client.force_login(officer_a)
    body = client.get(reverse("dashboard"), {"year": 2026}).content.decode()
    assert "乙局" not in body and 'data-testid="ranking-table"' not in body
    assert client.get(reverse("dashboard"), {"year": "abc", "month": "13"}).status_code == 200
    client.force_login(user_with_role(Role.PUBLIC))
    assert client.get(reverse("dashboard")).status_code == 403


def test_yearly_report_downloads_and_opens(seeded, reviewer, client):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard_report"), {"year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "2026" in values[0][0]
    names = [row[1] for row in values[4:]]
    assert names[:2] == ["甲局", "乙局"] and "全市" in names
    assert workbook.sheetnames[1] == "逐月"


def test_the_evaluation_api_gives_the_dashboard_figures(seeded, reviewer):
    """P5: the dashboard's figures through the API, scoped like the page; bad periods are a 400."""
    from rest_framework.test import APIClient

    a, b = seeded
    api = APIClient()
    api.force_authenticate(reviewer)
    data = api.get("/api/evaluation/", {"year": 2026}).json()
    rows = {r["name"]: r for r in data["departments"]}
    assert rows["甲局"]["values"]["catalog_duties_on_time_rate"] == 50.0 and rows["甲局"]["rank"] == 1
    assert data["city"]["catalog_entries"] >= 4 and {m["key"] for m in data["metrics"]} >= {"catalog_loaded_rate"}
    officer_b = user_with_role(Role.DATA_OFFICER, department=b)
    api.force_authenticate(officer_b)
    own = api.get("/api/evaluation/", {"year": 2026}).json()
    assert [r["name"] for r in own["departments"]] == ["乙局"] and own["city"] is None
    for bad in ({"year": "x"}, {"year": 1900}, {"year": 2026, "month": 13}):
        response = api.get("/api/evaluation/", bad)
        assert response.status_code == 400 and response.json()
    api.force_authenticate(user_with_role(Role.PUBLIC))
    assert api.get("/api/evaluation/").status_code == 403


def test_a_department_name_that_starts_like_a_formula_stays_text_in_the_yearly_report(seeded, reviewer, client):
    """SECURITY.md 14.16: openpyxl writes a string starting with "=" as a formula; a typed name must not run."""
    a, _b = seeded
    a.name = '=HYPERLINK("http://evil.example","甲局")'
    a.save(update_fields=["name"])
    client.force_login(reviewer)
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard_report"), {"year": 2026}).content))
    cells = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=5)]
    hostile = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert hostile and all(c.data_type == "s" and str(c.value).startswith("'=") for c in hostile)
