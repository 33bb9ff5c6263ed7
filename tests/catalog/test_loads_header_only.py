"""SECURITY.md 14.21: a file with its header and no data rows is refused, with a clear message, as a load in
the page, the API, during the request and in the Celery task: no table, no data version."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from catalog.models import DataLoad
from catalog.services import loads
from tests.catalog.factories import draft, published

pytestmark = pytest.mark.django_db
REFUSED = "文件只有表头（第 1 行），没有数据行"


def header_only(kind):
    if kind == "csv":
        return SimpleUploadedFile(
            "empty.csv", "统一社会信用代码,企业名称,成立日期\n\n,,\n".encode(), content_type="text/csv"
        )
    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "企业名称", "成立日期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("empty.xlsx", buffer.getvalue())


def no_tables(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'datastore' AND tablename LIKE %s", [f"r{entry.pk}_%"]
        )
        return cursor.fetchone()[0] == 0


def assert_refused(load, entry):
    load.refresh_from_db()
    assert load.status == DataLoad.Status.FAILED and load.data_version is None and load.table_name == ""
    assert load.row_count == 0 and REFUSED in load.errors[0]["message"]
    assert "表头为第 1 行" in load.message
    assert loads.latest_load(entry) is None and no_tables(entry)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_page_refuses_it(officer, reviewer, client, kind):
    entry = published(officer, reviewer)
    client.force_login(officer)
    response = client.post(reverse("catalog:upload", args=[entry.pk]), {"file": header_only(kind)}, follow=True)
    assert REFUSED in response.content.decode()
    assert_refused(DataLoad.objects.get(entry=entry), entry)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_api_refuses_it(officer, reviewer, kind):
    entry = published(officer, reviewer)
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(f"/api/catalog/entries/{entry.pk}/loads/", {"file": header_only(kind)}, format="multipart")
    body = response.json()
    assert body["status"] == "failed" and REFUSED in body["errors"][0]["message"]
    assert_refused(DataLoad.objects.get(pk=body["id"]), entry)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_task_refuses_it(officer, settings, django_capture_on_commit_callbacks, kind):
    from catalog.tasks import run_load

    settings.CATALOG_LOADS = {"sync_bytes": 0}
    entry = draft(officer)
    with django_capture_on_commit_callbacks(execute=False):
        load = loads.load_start(actor=officer, entry=entry, upload=header_only(kind))
    assert load.status == DataLoad.Status.PENDING
    assert run_load(load.pk) == DataLoad.Status.FAILED  # the real task code
    assert_refused(load, entry)
