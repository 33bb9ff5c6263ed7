"""C6: CSV and Excel in the national field order, DCAT JSON-LD, import with a report of refused rows."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from catalog import exchange
from catalog.models import ResourceEntry
from portal.roles import Role
from tests.catalog.factories import published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(officer, reviewer):
    published(officer, reviewer, name="企业营业执照信息")
    published(officer, reviewer, name='=HYPERLINK("x")恶意名称')
    published(
        officer,
        reviewer,
        name="内部线索",
        share_type="not_shared",
        legal_basis="某法",
        open_type="not_open",
        open_condition="涉密",
        summary="机密摘要",
    )


def test_csv_export_in_national_order(catalog, client):
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF))
    response = client.get(reverse("catalog:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:8] == [
        "信息资源分类",
        "信息资源名称",
        "信息资源代码",
        "信息资源提供方",
        "信息资源提供方代码",
        "信息资源摘要",
        "信息资源格式",
        "信息项",
    ]
    by_name = {r[1]: r for r in rows[1:]}
    assert "统一社会信用代码(uscc" in by_name["企业营业执照信息"][7]
    assert by_name["内部线索"][5] == "" and by_name["内部线索"][7] == ""  # not shared: only that it exists
    assert '\'=HYPERLINK("x")恶意名称' in by_name  # formula neutralised
    assert AuditEntry.objects.filter(action="catalog.export", detail__format="csv").exists()


def test_excel_export_and_dcat(catalog, client):
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF))
    workbook = load_workbook(io.BytesIO(client.get(reverse("catalog:export_xlsx")).content))
    assert workbook.sheetnames == ["资源目录", "信息项"]
    assert [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))] == exchange.EXPORT_HEADERS
    document = json.loads(client.get(reverse("catalog:export_dcat")).content)
    assert document["@type"] == "dcat:Catalog"
    titles = {d["dct:title"]: d for d in document["dcat:dataset"]}
    assert "dcat:keyword" in titles["企业营业执照信息"] and "dcat:keyword" not in titles["内部线索"]
    # DCAT-AP 3.0 requires a description: a not-shared entry's says only that it is not shared (interop.dcat)
    assert "不予共享" in titles["内部线索"]["dct:description"]


def test_import_from_the_exported_layout_reports_refused_rows(catalog, officer, client):
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF))
    workbook = load_workbook(io.BytesIO(client.get(reverse("catalog:export_xlsx")).content))
    main, items = workbook.worksheets
    rows = list(main.iter_rows(values_only=True))
    header, good = rows[0], list(next(r for r in rows[1:] if r[1] == "企业营业执照信息"))
    good[1] = "导入的新资源"
    bad = list(good)
    bad[1], bad[8] = "违规的基础资源", "有条件共享"
    bad[0], bad[16] = "基础信息资源", "人口"
    item_rows = list(items.iter_rows(values_only=True))
    from openpyxl import Workbook

    out = Workbook()
    sheet = out.active
    sheet.title = "资源目录"
    sheet.append(list(header))
    sheet.append(good)
    sheet.append(bad)
    item_sheet = out.create_sheet("信息项")
    item_sheet.append(list(item_rows[0]))
    for r in item_rows[1:]:
        if r[1] == "企业营业执照信息":
            item_sheet.append(["", "导入的新资源", *r[2:]])
            item_sheet.append(["", "违规的基础资源", *r[2:]])
    buffer = io.BytesIO()
    out.save(buffer)
    client.force_login(officer)
    response = client.post(
        reverse("catalog:import"), {"file": SimpleUploadedFile("c.xlsx", buffer.getvalue())}, follow=True
    )
    body = response.content.decode()
    assert "新建 1 条，拒绝 1 条" in body
    assert "必须为无条件共享" in body
    entry = ResourceEntry.objects.get(versions__name="导入的新资源")
    assert entry.working_version.items.count() == 3 and entry.department == officer.department


def test_import_refuses_a_file_that_is_not_the_template(officer, client):
    client.force_login(officer)
    response = client.post(reverse("catalog:import"), {"file": SimpleUploadedFile("c.xlsx", b"not a workbook")})
    assert response.status_code == 200
    assert "不是有效的 Excel（.xlsx）文件" in response.content.decode()


@pytest.mark.parametrize("start", ["\t", "\r", "=", "+", "-", "@"])
def test_every_formula_start_is_neutralised_in_csv_and_excel(officer, reviewer, client, start):
    """SECURITY.md 14.16: a cell starting with tab or carriage return (OWASP's list) is neutralised like = + - @."""
    from catalog.models import DataItem, EntryVersion

    entry = published(officer, reviewer, name="公式资源")
    # stored as an import or an old version could hold them (the forms strip leading whitespace)
    EntryVersion.objects.filter(pk=entry.published_version_id).update(summary=start + "cmd|' /C calc'!A0")
    DataItem.objects.filter(version_id=entry.published_version_id, key="uscc").update(description=start + "1+1")
    client.force_login(officer)
    text = b"".join(client.get(reverse("catalog:export_csv")).streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text, newline="")) if r and r[1] == "公式资源")
    assert row[5] == "'" + start + "cmd|' /C calc'!A0"
    workbook = load_workbook(io.BytesIO(client.get(reverse("catalog:export_xlsx")).content))
    main = next(r for r in workbook.worksheets[0].iter_rows(values_only=True) if r[1] == "公式资源")
    # (XML reads a carriage return back as a line feed: what matters is the leading ')
    assert main[5][0] == "'" and main[5][2:] == "cmd|' /C calc'!A0"
    item = next(r for r in workbook.worksheets[1].iter_rows(values_only=True) if r[3] == "uscc" and r[1] == "公式资源")
    assert item[8][0] == "'" and item[8][2:] == "1+1"
