"""Grades travel with the catalog's workbook: the export writes each entry's grade (数据分级) and each
item's, the import reads them back as the officer's proposal, never as confirmed (Lhasa art. 39: the
bureau's reviewer confirms grades in the review); a grade the bureau has not set is refused with the
row's other errors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalog.exchange import GRADE_HEADERS, ITEM_GRADE_HEADER
from catalog.models import CatalogImport, ResourceEntry
from catalog.services import entries
from portal.roles import Role
from tests.catalog.factories import content, items
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return user_with_role(Role.DATA_OFFICER)


@pytest.fixture
def exported(officer):
    """The officer's export of a published entry graded 3 敏感 with an ID-number item."""
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    rows = items()
    rows[0].update(grade_level=1)
    rows.append({"key": "legal_id", "name": "法定代表人身份证号", "type": "id_number", "grade_level": 3})
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=rows)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry, grades={"items": {"company_name": {"category": "important"}}})
    client = Client()
    client.force_login(officer)
    return load_workbook(io.BytesIO(client.get(reverse("catalog:export_xlsx")).content))


def _reimport(officer, workbook, *, rename: str, entry_grade=None, item_grade=None) -> Client:
    main, item_sheet = workbook.worksheets
    header, *rows = list(main.iter_rows(values_only=True))
    row = list(next(r for r in rows if r[1] == "企业营业执照信息"))
    row[1] = rename
    grade_column = list(header).index(GRADE_HEADERS[0])
    if entry_grade is not None:
        row[grade_column] = entry_grade
    item_header, *item_rows = list(item_sheet.iter_rows(values_only=True))
    out = Workbook()
    sheet = out.active
    sheet.title = "资源目录"
    sheet.append(list(header))
    sheet.append(row)
    target = out.create_sheet("信息项")
    target.append(list(item_header))
    for r in item_rows:
        if r[1] == "企业营业执照信息":
            r = ["", rename, *r[2:]]
            if item_grade is not None and r[3] == "legal_id":
                r[-1] = item_grade
            target.append(r)
    buffer = io.BytesIO()
    out.save(buffer)
    client = Client()
    client.force_login(officer)
    client.post(reverse("catalog:import"), {"file": SimpleUploadedFile("c.xlsx", buffer.getvalue())})
    return client


def test_the_export_writes_each_items_grade(exported):
    item_header, *item_rows = list(exported.worksheets[1].iter_rows(values_only=True))
    assert item_header[-1] == ITEM_GRADE_HEADER
    grades = {r[3]: r[-1] for r in item_rows if r[1] == "企业营业执照信息"}
    assert grades == {"uscc": "1 公开", "company_name": "重要数据", "established": None, "legal_id": "3 敏感"}


def test_an_imported_workbook_brings_its_grades_as_an_unconfirmed_proposal(officer, exported):
    _reimport(officer, exported, rename="导入的企业信息")
    version = ResourceEntry.objects.get(versions__name="导入的企业信息").working_version
    assert dict(version.items.values_list("key", "grade_level")) == {
        "uscc": 1,
        "company_name": None,
        "established": None,
        "legal_id": 3,
    }
    assert version.items.get(key="company_name").grade_category == "important"
    assert version.grade_category == "important"  # the entry's column said 重要数据
    assert not version.grade_confirmed and not version.items.filter(grade_confirmed=True).exists()


def test_a_grade_the_bureau_has_not_set_refuses_the_row_and_creates_nothing(officer, exported):
    _reimport(officer, exported, rename="分级有误的资源", item_grade="9 绝密")
    job = CatalogImport.objects.latest("pk")
    assert not ResourceEntry.objects.filter(versions__name="分级有误的资源").exists()
    reasons = " ".join(" ".join(r["reasons"]) for r in job.refused)
    assert "「法定代表人身份证号」的数据分级「9 绝密」不是已设定的级别" in reasons
    _reimport(officer, exported, rename="按级别名称分级", entry_grade="内部", item_grade="敏感")
    version = ResourceEntry.objects.get(versions__name="按级别名称分级").working_version
    assert version.items.get(key="legal_id").grade_level == 3
