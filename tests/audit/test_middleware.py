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
    assert list(AuditEntry.objects.filter(request_id="req-audited-1").values_list("action", flat=True)) == ["demo.change"]


def test_a_state_changing_route_that_records_nothing_is_recorded(client, staff):
    client.force_login(staff)
    client.delete("/silent/", HTTP_X_REQUEST_ID="req-silent-1")
    entry = AuditEntry.objects.get(request_id="req-silent-1")
    assert (entry.action, entry.outcome, entry.object_type, entry.object_id) == ("request.delete", "success", "route",
                                                                                  "silent")


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
