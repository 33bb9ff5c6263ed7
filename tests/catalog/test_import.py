"""SECURITY.md 14.7: the catalog import checks the workbook as an archive first (zip bombs), streams and caps
its rows, and imports a large workbook in a Celery job with progress, all or nothing, audited."""

import io
import time
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from audit.models import AuditEntry
from catalog.exchange import HEADERS, ITEM_HEADERS
from catalog.models import CatalogImport, ResourceEntry
from catalog.services import imports
from portal.errors import DomainError
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def row(name, **overrides):
    values = {
        "信息资源分类": "department",
        "信息资源名称": name,
        "信息资源摘要": f"{name}的摘要",
        "更新周期": "daily",
        "共享类型": "unconditional",
        "开放类型": "unconditional",
    }
    values.update(overrides)
    return [values.get(h) for h in HEADERS]


def workbook_bytes(rows, *, blank_after=None):
    """The exported layout: the catalog sheet (rows; None for a blank row) and each row's one item."""
    book = Workbook()
    sheet = book.active
    sheet.title = "资源目录"
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values if values is not None else [])
    items = book.create_sheet("信息项")
    items.append(ITEM_HEADERS)
    for values in rows:
        if values is not None:
            items.append(["", values[1], "企业名称", "company_name", "string", 200, "是", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content, name="目录.xlsx"):
    return SimpleUploadedFile(name, content)


def bomb(rows, padding=12 * 1024 * 1024):
    """A valid workbook whose first sheet carries megabytes of whitespace: a few KB packed."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(officer, client):
    content = bomb([row("炸弹资源")])
    assert len(content) < 100 * 1024
    client.force_login(officer)
    started = time.monotonic()
    response = client.post(reverse("catalog:import"), {"file": upload(content)})
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert "疑似压缩炸弹" in response.content.decode()
    assert not ResourceEntry.objects.exists() and not CatalogImport.objects.exists()
    refused = AuditEntry.objects.get(action="catalog.import.refuse")
    assert refused.outcome == "failure" and "压缩炸弹" in refused.detail["reason"]


def test_a_workbook_unpacking_past_the_limit_is_refused(officer, settings):
    settings.CATALOG_IMPORT = {"MAX_UNCOMPRESSED_BYTES": 4096}
    with pytest.raises(DomainError) as info:
        imports.import_start(
            actor=officer, department=officer.department, upload=upload(workbook_bytes([row("资源一")]))
        )
    assert "解压后" in str(info.value.message) and not ResourceEntry.objects.exists()


def test_a_small_workbook_is_imported_during_the_request_with_sheet_line_numbers(officer, client):
    content = workbook_bytes([row("资源一"), None, row("资源二", 更新周期="")])
    client.force_login(officer)
    response = client.post(reverse("catalog:import"), {"file": upload(content)})
    job = CatalogImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("catalog:import_job", args=[job.pk])
    assert job.status == CatalogImport.Status.SUCCEEDED and not job.in_background
    page = client.get(response["Location"]).content.decode()
    assert "新建 1 条，拒绝 1 条" in page and "表头为第 1 行" in page
    assert [r["line"] for r in job.refused] == [4]  # the blank row 3 counts, as Excel shows it
    assert "请填写更新周期" in job.refused[0]["reasons"]
    assert list(ResourceEntry.objects.values_list("versions__name", flat=True)) == ["资源一"]
    finish = AuditEntry.objects.get(action="catalog.import.finish")
    assert finish.detail["created"] == 1 and finish.detail["refused"] == 1 and not finish.detail["background"]
    assert AuditEntry.objects.filter(action="catalog.import.start").exists()


@pytest.mark.parametrize("sync_rows", [200, 0])  # during the request, and in the job
def test_a_workbook_over_the_row_cap_creates_nothing(officer, settings, django_capture_on_commit_callbacks, sync_rows):
    from catalog.tasks import run_import

    settings.CATALOG_IMPORT = {"MAX_ROWS": 3, "SYNC_ROWS": sync_rows}
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.import_start(
            actor=officer,
            department=officer.department,
            upload=upload(workbook_bytes([row(f"资源{n}") for n in range(5)])),
        )
    if sync_rows == 0:
        assert job.status == CatalogImport.Status.PENDING and job.in_background
        assert run_import(job.pk) == CatalogImport.Status.FAILED
        job.refresh_from_db()
    assert job.status == CatalogImport.Status.FAILED and "超过 3 行的上限" in job.message
    assert not ResourceEntry.objects.exists() and job.created == []  # the rows read before the cap are gone too


def test_a_large_workbook_is_a_job_whose_progress_the_page_and_the_api_show(
    officer, settings, client, django_capture_on_commit_callbacks
):
    from catalog.tasks import run_import

    settings.CATALOG_IMPORT = {"SYNC_ROWS": 2}
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("catalog:import"), {"file": upload(workbook_bytes([row(f"资源{n}") for n in range(5)]))}
        )
    job = CatalogImport.objects.get()
    assert job.status == CatalogImport.Status.PENDING and job.in_background
    assert len([c for c in callbacks if "enqueue" in c.__qualname__]) == 1  # the task, queued at commit
    page = client.get(response["Location"]).content.decode()
    assert "正在后台导入" in page and 'hx-trigger="every 2s"' in page
    assert not ResourceEntry.objects.exists()
    api = APIClient()
    api.force_authenticate(officer)
    assert api.get(f"/api/catalog/imports/{job.pk}/").json()["status"] == "pending"
    assert run_import(job.pk) == CatalogImport.Status.SUCCEEDED  # the real task code
    assert run_import(job.pk) is None  # a second delivery does nothing
    state = api.get(f"/api/catalog/imports/{job.pk}/").json()
    assert state["status"] == "succeeded" and [c["name"] for c in state["created"]] == [f"资源{n}" for n in range(5)]
    assert ResourceEntry.objects.count() == 5
    assert "新建 5 条，拒绝 0 条" in client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()


def test_a_job_that_dies_midway_leaves_nothing_and_runs_again(
    officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from catalog.services import entries
    from catalog.tasks import resume_imports

    settings.CATALOG_IMPORT = {"SYNC_ROWS": 0}
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.import_start(
            actor=officer,
            department=officer.department,
            upload=upload(workbook_bytes([row(f"资源{n}") for n in range(4)])),
        )
    real = entries.entry_create
    calls = []

    def dies_on_the_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(entries, "entry_create", dies_on_the_third)
    with pytest.raises(RuntimeError):
        imports.import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == CatalogImport.Status.PENDING and not ResourceEntry.objects.exists()  # two made, none kept
    monkeypatch.setattr(entries, "entry_create", real)
    assert resume_imports(older_than_seconds=0) == 1
    job.refresh_from_db()
    assert job.status == CatalogImport.Status.SUCCEEDED and ResourceEntry.objects.count() == 4


def test_an_import_is_seen_by_its_department_only(officer, client):
    job = imports.import_start(
        actor=officer, department=officer.department, upload=upload(workbook_bytes([row("资源一")]))
    )
    other = user_with_role(Role.DATA_OFFICER)
    client.force_login(other)
    assert client.get(reverse("catalog:import_job", args=[job.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(other)
    assert api.get(f"/api/catalog/imports/{job.pk}/").status_code == 404
    colleague = user_with_role(Role.DATA_OFFICER, department=officer.department)
    client.force_login(colleague)
    assert client.get(reverse("catalog:import_job", args=[job.pk])).status_code == 200


def test_the_api_imports_a_workbook(officer):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(
        "/api/catalog/imports/", {"file": upload(workbook_bytes([row("接口导入的资源")]))}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "succeeded" and response.json()["created"][0]["name"] == "接口导入的资源"
    refused = api.post("/api/catalog/imports/", {"file": upload(bomb([row("炸弹")]))}, format="multipart")
    assert refused.status_code == 400 and "压缩炸弹" in refused.json()["detail"]
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=officer.department)
    api.force_authenticate(staff)
    assert (
        api.post("/api/catalog/imports/", {"file": upload(workbook_bytes([row("甲")]))}, format="multipart").status_code
        == 403
    )


def test_declared_dimensions_do_not_make_rows_wide(officer):
    """A sheet claiming A1:XFD1048576 is read by its cells, not padded to 16,384 columns."""
    content = workbook_bytes([row("资源一")])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1)
            target.writestr(info.filename, data)
    started = time.monotonic()
    job = imports.import_start(actor=officer, department=officer.department, upload=upload(out.getvalue()))
    assert time.monotonic() - started < 5
    assert job.status == CatalogImport.Status.SUCCEEDED and len(job.created) == 1


@pytest.mark.django_db(transaction=True)
def test_a_large_import_through_a_real_worker(officer, settings):
    from config.celery import app

    settings.CATALOG_IMPORT = {"SYNC_ROWS": 0}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        job = imports.import_start(
            actor=officer,
            department=officer.department,
            upload=upload(workbook_bytes([row(f"资源{n}") for n in range(3)])),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status != CatalogImport.Status.PENDING:
                break
            time.sleep(0.2)
    assert job.status == CatalogImport.Status.SUCCEEDED and ResourceEntry.objects.count() == 3
