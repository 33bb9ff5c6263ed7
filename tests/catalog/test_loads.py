"""C7: a data officer loads a resource's rows; all-or-nothing; each load a new data version."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from stdnum.cn import uscc

from audit.models import AuditEntry
from catalog import datastore
from catalog.models import DataLoad
from catalog.services import loads
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.roles import Role
from tests.catalog.factories import draft, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def code(n):
    body = f"9154010000000{n:04d}X"[:17]
    return body + uscc.calc_check_digit(body)


def csv_file(rows, encoding="utf-8", name="data.csv"):
    lines = ["统一社会信用代码,企业名称,成立日期"] + [",".join(r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def table_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"datastore.{name}"])
        return cursor.fetchone()[0] is not None


def test_gbk_file_with_chinese_headers_loads(officer):
    entry = draft(officer)
    load = loads.load_start(
        actor=officer,
        entry=entry,
        upload=csv_file(
            [(code(1), "示范市华泰商贸有限公司", "2020-01-02"), (code(2), "示范市鑫达物流有限公司", "2019/5/6")],
            encoding="gbk",
        ),
    )
    assert load.status == DataLoad.Status.SUCCEEDED, load.errors
    assert (load.data_version, load.row_count) == (1, 2)
    assert load.encoding.lower() in ("gbk", "gb18030")
    rows = datastore.preview(load.table_name, [datastore.Column(**c) for c in load.columns])
    assert rows[0]["company_name"] == "示范市华泰商贸有限公司" and rows[1]["established"] == "2019-05-06"
    assert AuditEntry.objects.filter(action="catalog.load.finish", outcome="success").exists()


def test_bad_check_digit_is_refused_with_its_line_and_leaves_nothing(officer):
    entry = draft(officer)
    bad = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    load = loads.load_start(
        actor=officer,
        entry=entry,
        upload=csv_file(
            [(code(1), "甲公司", "2020-01-01"), (bad, "乙公司", "2020-01-01"), (code(2), "", "2020-01-01")]
        ),
    )
    assert load.status == DataLoad.Status.FAILED
    assert load.data_version is None and load.table_name == ""
    lines = {e["line"] for e in load.errors}
    assert lines == {3, 4} and load.error_count == 2
    assert any("统一社会信用代码" in (e["column"] or "") for e in load.errors)
    assert not table_exists(f"r{entry.pk}_v1")
    assert AuditEntry.objects.filter(action="catalog.load.finish", outcome="failure").exists()


def test_each_load_is_a_new_version_and_old_ones_stay_until_an_admin_removes_them(officer, bureau_admin):
    entry = draft(officer)
    first = loads.load_start(actor=officer, entry=entry, upload=csv_file([(code(1), "甲", "2020-01-01")]))
    second = loads.load_start(
        actor=officer, entry=entry, upload=csv_file([(code(1), "甲", "2020-01-01"), (code(2), "乙", "2021-01-01")])
    )
    assert (first.data_version, second.data_version) == (1, 2)
    assert table_exists(first.table_name) and table_exists(second.table_name)
    assert loads.latest_load(entry) == second
    with pytest.raises(PermissionDeniedError):
        loads.load_remove(actor=officer, load=first)
    with pytest.raises(InvalidTransitionError):
        loads.load_remove(actor=bureau_admin, load=second)
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    old = api.get(f"/api/catalog/entries/{entry.pk}/rows/", {"data_version": 1}).json()
    assert (old["data_version"], old["count"]) == (1, 1)
    assert api.get(f"/api/catalog/entries/{entry.pk}/rows/").json()["count"] == 2
    assert api.get(f"/api/catalog/entries/{entry.pk}/rows/", {"data_version": "x"}).status_code == 400
    loads.load_remove(actor=bureau_admin, load=first)
    assert api.get(f"/api/catalog/entries/{entry.pk}/rows/", {"data_version": 1}).status_code == 404
    first.refresh_from_db()
    assert first.status == DataLoad.Status.REMOVED and not table_exists(first.table_name)


def test_wrong_file_type_and_no_items_are_clear_errors(officer):
    entry = draft(officer)
    with pytest.raises(DomainError) as exc:
        loads.load_start(actor=officer, entry=entry, upload=SimpleUploadedFile("x.exe", b"MZ"))
    assert "CSV" in str(exc.value.message)
    assert not DataLoad.objects.exists()


def test_only_the_departments_officer_loads(officer):
    entry = draft(officer)
    for actor in (
        user_with_role(Role.DATA_OFFICER),
        user_with_role(Role.DEPARTMENT_STAFF, department=officer.department),
    ):
        with pytest.raises(PermissionDeniedError):
            loads.load_start(actor=actor, entry=entry, upload=csv_file([(code(1), "甲", "2020-01-01")]))


def test_large_load_runs_as_a_task_with_progress(officer, settings, django_capture_on_commit_callbacks, client):
    from catalog.tasks import run_load

    settings.CATALOG_LOADS = {"sync_bytes": 0}
    entry = draft(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load = loads.load_start(
            actor=officer, entry=entry, upload=csv_file([(code(n), f"公司{n}", "2020-01-01") for n in range(1, 50)])
        )
    # the task, queued at commit (the other callbacks retire cached counts)
    assert load.status == DataLoad.Status.PENDING and len([c for c in callbacks if "enqueue" in c.__qualname__]) == 1
    client.force_login(officer)
    page = client.get(reverse("catalog:load", args=[load.pk])).content.decode()
    assert "正在校验并归集数据" in page and 'hx-trigger="every 1s"' in page
    assert run_load(load.pk) == DataLoad.Status.SUCCEEDED  # the real task code
    assert run_load(load.pk) is None  # a second delivery does nothing
    load.refresh_from_db()
    assert load.row_count == 49
    assert "已归集 49 行" in client.get(reverse("catalog:load", args=[load.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_large_load_through_a_real_worker(officer, settings):
    from config.celery import app

    settings.CATALOG_LOADS = {"sync_bytes": 0}
    entry = draft(officer)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        load = loads.load_start(
            actor=officer, entry=entry, upload=csv_file([(code(n), f"公司{n}", "2020-01-01") for n in range(1, 20)])
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            load.refresh_from_db()
            if load.status != DataLoad.Status.PENDING:
                break
            time.sleep(0.2)
    assert load.status == DataLoad.Status.SUCCEEDED and load.row_count == 19


def test_rows_are_shown_to_the_department_and_the_bureau_only(officer, reviewer, client):
    entry = published(officer, reviewer)
    loads.load_start(actor=officer, entry=entry, upload=csv_file([(code(1), "示范市甲公司", "2020-01-01")]))
    client.force_login(officer)
    assert "示范市甲公司" in client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    client.force_login(reviewer)
    assert "示范市甲公司" in client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    other = user_with_role(Role.DEPARTMENT_STAFF)
    client.force_login(other)
    body = client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    assert "企业营业执照信息" in body and "示范市甲公司" not in body
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(other)
    assert api.get(f"/api/catalog/entries/{entry.pk}/rows/").status_code == 403
    assert AuditEntry.objects.filter(action="catalog.rows.read", outcome="denied").exists()
    api.force_authenticate(officer)
    data = api.get(f"/api/catalog/entries/{entry.pk}/rows/").json()
    assert data["count"] == 1 and data["rows"][0]["company_name"] == "示范市甲公司"
