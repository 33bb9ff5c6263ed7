"""One way to fetch what a catalog page shows by id: visible_or_404 over the catalog's selectors
(loads, imports, duties, versions). Another department's object is a 404 recorded as
`request.denied` naming it (SECURITY.md 14.4), the same 404 as an id that exists nowhere."""

import datetime as dt

import pytest
from django.test import Client

from audit.models import AuditEntry
from catalog import selectors
from catalog.models import UpdateDuty
from catalog.services import duties, entries
from portal.roles import Role
from tests.catalog.factories import catalog_import, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _probe(client, method, path, request_id):
    return getattr(client, method)(
        path, {"note": "无需变更"} if method == "post" else None, HTTP_X_REQUEST_ID=request_id
    )


def test_another_departments_duty_is_a_recorded_404_and_stays_open(officer, reviewer):
    entry = published(officer, reviewer)
    duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="《某条例》修订",
        effective_date=dt.date(2026, 4, 30),
    )
    duty = UpdateDuty.objects.get(entry=entry)
    stranger = user_with_role(Role.DATA_OFFICER)
    assert list(selectors.duties_visible_to(officer)) == [duty]
    assert not selectors.duties_visible_to(stranger).exists()
    assert list(selectors.duties_visible_to(reviewer)) == [duty]
    client = Client()
    client.force_login(stranger)
    hidden = _probe(client, "post", f"/catalog/duties/{duty.pk}/confirm/", "probe-duty")
    missing = _probe(client, "post", "/catalog/duties/999999999/confirm/", "probe-duty-missing")
    assert hidden.status_code == missing.status_code == 404
    denied = AuditEntry.objects.get(request_id="probe-duty", action="request.denied")
    assert (denied.object_type, denied.object_id) == ("catalog.updateduty", str(duty.pk))
    assert not AuditEntry.objects.filter(request_id="probe-duty-missing", action="request.denied").exists()
    duty.refresh_from_db()
    assert duty.status == UpdateDuty.Status.OPEN


def test_a_draft_revision_is_hidden_from_other_departments_and_recorded(officer, reviewer):
    entry = published(officer, reviewer)
    entries.entry_revise(actor=officer, entry=entry)
    stranger = user_with_role(Role.DEPARTMENT_STAFF)
    assert list(selectors.versions_visible_to(officer, entry).values_list("number", flat=True).order_by("number")) == [
        1,
        2,
    ]
    assert list(selectors.versions_visible_to(stranger, entry).values_list("number", flat=True)) == [1]
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/catalog/{entry.pk}/versions/1/").status_code == 200
    assert client.get(f"/catalog/{entry.pk}/versions/2/", HTTP_X_REQUEST_ID="probe-version").status_code == 404
    denied = AuditEntry.objects.get(request_id="probe-version", action="request.denied")
    assert denied.object_type == "catalog.entryversion" and denied.object_id == str(entry.versions.get(number=2).pk)


def test_loads_and_imports_are_seen_by_their_department_and_the_bureau(officer, reviewer):
    stranger = user_with_role(Role.DATA_OFFICER)
    assert not selectors.loads_visible_to(stranger).exists() and not selectors.imports_visible_to(stranger).exists()
    job = catalog_import(officer)
    assert list(selectors.imports_visible_to(officer)) == [job]
    assert not selectors.imports_visible_to(stranger).exists()
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/catalog/import/{job.pk}/", HTTP_X_REQUEST_ID="probe-import").status_code == 404
    assert AuditEntry.objects.filter(
        request_id="probe-import", action="request.denied", object_type="catalog.catalogimport", object_id=str(job.pk)
    ).exists()
