"""A1 from the foundation on: sign-in, sign-out, failed sign-in and lock-out are audited with
actor, department, role, client address and request id."""

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry, Outcome
from audit.services import record
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_sign_in_is_recorded_with_who_where_and_request_id(client, officer, password):
    response = client.post(
        reverse("login"),
        {"username": officer.username, "password": password},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-abcdef12",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor_id == officer.pk
    assert entry.actor_username == officer.username
    assert entry.actor_name == officer.real_name
    assert entry.department_id == officer.department_id
    assert entry.department_name == officer.department.name
    assert entry.role == Role.DATA_OFFICER
    assert entry.client_ip == "10.1.2.3"
    assert entry.request_id == "req-abcdef12"
    assert entry.outcome == Outcome.SUCCESS
    assert response["X-Request-ID"] == "req-abcdef12"


def test_sign_out_is_recorded(client, officer):
    client.force_login(officer)
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action="auth.logout", actor_id=officer.pk).count() == 1


def test_failed_sign_in_names_the_account_but_not_as_actor(client, officer):
    client.post(reverse("login"), {"username": officer.username, "password": "Wrong#pass1"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.outcome == Outcome.FAILURE
    assert entry.actor_id is None
    assert entry.object_id == str(officer.pk)
    assert entry.detail == {"username": officer.username}
    assert "Wrong#pass1" not in str(entry.detail)


def test_failed_sign_in_of_an_unknown_name_is_recorded_too(client):
    client.post(reverse("login"), {"username": "nobody", "password": "Wrong#pass1"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.object_id == "" and entry.detail["username"] == "nobody"


def test_lock_out_is_recorded_as_denied(client, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": officer.username, "password": "Wrong#pass1"})
    entry = AuditEntry.objects.get(action="auth.locked_out")
    assert entry.outcome == Outcome.DENIED and entry.object_id == str(officer.pk)


def test_entry_rolls_back_with_the_callers_transaction(officer):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            record("test.operation", actor=officer, target=officer.department)
            raise RuntimeError("business rule failed after the entry")
    assert not AuditEntry.objects.filter(action="test.operation").exists()
    record("test.operation", actor=officer, target=officer.department, detail={"k": 1})
    entry = AuditEntry.objects.get(action="test.operation")
    assert (entry.object_type, entry.object_id) == ("portal.department", str(officer.department_id))


def test_client_address_from_proxy_header_only_when_trusted(client, officer, password, settings):
    client.post(
        reverse("login"),
        {"username": officer.username, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert AuditEntry.objects.get(action="auth.login").client_ip == "10.0.0.1"
