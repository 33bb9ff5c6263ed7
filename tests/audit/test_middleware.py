"""A1: refusals whose entry was rolled back with the refused transaction, state-changing routes that
record nothing, and reads of row data are still recorded — by the audit middleware."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from audit.models import AuditEntry
from audit.services import record

pytestmark = pytest.mark.django_db


def refused_after_recording(request):
    with transaction.atomic():
        try:
            with transaction.atomic():
                record("demo.change", request=request)
                raise PermissionDenied
        except PermissionDenied:
            raise


def audited_change(request):
    record("demo.change", request=request)
    return HttpResponse("ok")


def silent_change(request):
    return HttpResponse("ok")


def rows_download(request):
    return HttpResponse("a,b\n1,2\n")


urlpatterns = [
    path("refused/", refused_after_recording, name="refused"),
    path("audited/", audited_change, name="audited"),
    path("silent/", silent_change, name="silent"),
    path("resource/rows/download/", rows_download, name="rows-download"),
    path("home/", silent_change, name="plain-page"),
]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_refusal_rolled_back_with_its_transaction_is_still_recorded(client, staff):
    client.force_login(staff)
    assert client.post("/refused/", HTTP_X_REQUEST_ID="req-refused-1").status_code == 403
    entry = AuditEntry.objects.get(request_id="req-refused-1")
    assert (entry.action, entry.outcome, entry.actor_id) == ("request.denied", "denied", staff.pk)
    assert entry.detail == {"method": "POST", "path": "/refused/", "status": 403, "route": "refused"}
    assert not AuditEntry.objects.filter(action="demo.change").exists()


def test_a_view_that_recorded_gets_no_second_entry(client, staff):
    client.force_login(staff)
    client.post("/audited/", HTTP_X_REQUEST_ID="req-audited-1")
    assert list(AuditEntry.objects.filter(request_id="req-audited-1").values_list("action", flat=True)) == [
        "demo.change"
    ]


def test_a_state_changing_route_that_records_nothing_is_recorded(client, staff):
    client.force_login(staff)
    client.delete("/silent/", HTTP_X_REQUEST_ID="req-silent-1")
    entry = AuditEntry.objects.get(request_id="req-silent-1")
    assert (entry.action, entry.outcome, entry.object_type, entry.object_id) == (
        "request.delete",
        "success",
        "route",
        "silent",
    )


def test_reads_of_row_data_are_recorded_but_plain_pages_are_not(client, staff):
    client.force_login(staff)
    client.get("/resource/rows/download/", HTTP_X_REQUEST_ID="req-read-1")
    client.get("/home/", HTTP_X_REQUEST_ID="req-read-2")
    assert AuditEntry.objects.get(request_id="req-read-1").action == "request.get"
    assert not AuditEntry.objects.filter(request_id="req-read-2").exists()


def test_an_anonymous_refused_post_is_recorded_without_an_actor(client):
    from django.urls import reverse  # noqa: F401

    client.get("/home/")
    response = client.post("/refused/", HTTP_X_REQUEST_ID="req-anon-1", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(request_id="req-anon-1")
    assert entry.actor_id is None and entry.client_ip == "10.9.8.7"


def test_admin_changes_to_other_apps_models_are_recorded_once(client, bureau_admin, settings):
    from django.urls import reverse
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    settings.ROOT_URLCONF = "config.urls"
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    # a job of no app's registry: the audit's own are read-only (SECURITY.md 14.20, tests/audit/test_protected_schedules.py)
    task = PeriodicTask.objects.create(name="some-job", task="audit.tasks.seal", interval=every)
    client.force_login(bureau_admin)
    response = client.post(
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]),
        {
            "name": "some-job",
            "regtask": "audit.tasks.seal",
            "task": "",
            "interval": every.pk,
            "args": "[]",
            "kwargs": "{}",
            "queue": "",
            "exchange": "",
            "routing_key": "",
            "headers": "{}",
            "priority": "",
            "expires_0": "",
            "expires_1": "",
            "expire_seconds": "",
            "one_off": "",
            "start_time_0": "",
            "start_time_1": "",
            "enabled": "",
            "description": "",
        },
        HTTP_X_REQUEST_ID="req-admin-beat",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not PeriodicTask.objects.get(pk=task.pk).enabled
    entry = AuditEntry.objects.get(request_id="req-admin-beat")
    assert (entry.action, entry.object_type, entry.object_id) == (
        "admin.change",
        "django_celery_beat.periodictask",
        str(task.pk),
    )
    assert entry.actor_id == bureau_admin.pk
    assert entry.detail["message"]  # which fields changed, as the admin history says


def test_portal_admin_changes_are_not_recorded_twice(client, bureau_admin, settings):
    from django.urls import reverse

    from portal.models import Department

    settings.ROOT_URLCONF = "config.urls"
    client.force_login(bureau_admin)
    department = Department.objects.filter(level="city").first()
    from tests.factories import DepartmentFactory

    department = department or DepartmentFactory(level="city")
    client.post(
        reverse("admin:portal_department_change", args=[department.pk]),
        {
            "name": department.name + "（改）",
            "short_name": "",
            "code": department.code,
            "uscc": department.uscc,
            "level": department.level,
            "parent": "",
            "is_active": "on",
            "contact_name": "",
            "contact_phone": "",
        },
        HTTP_X_REQUEST_ID="req-admin-dept",
    )
    assert list(AuditEntry.objects.filter(request_id="req-admin-dept").values_list("action", flat=True)) == [
        "admin.change"
    ]
