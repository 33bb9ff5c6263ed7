"""The rules fire on the entries the real actions write, not only on entries written for them: a
superuser's forgery found by verify_audit, another department's draft asked for by id, lock-outs by
django-axes, sign-ins from two addresses."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import record
from audit.services.chain import seal
from portal.roles import Role
from secops.detection.models import Alert
from tests.audit.conftest import superuser_without_triggers
from tests.factories import PASSWORD, user_with_role
from tests.secops.detection.conftest import alerts, only, run


@pytest.mark.django_db(transaction=True)
def test_a_forgery_found_by_verify_audit_opens_a_tampering_incident(officer):
    only("chain_failed")
    entries = [
        record("catalog.entry.update", actor=officer, target=officer.department, detail={"n": i}) for i in range(3)
    ]
    seal()
    with superuser_without_triggers() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
    run()
    (alert,) = alerts("chain_failed")
    verify = AuditEntry.objects.get(action="audit.verify", outcome="failure")
    assert alert.incident.kind == "tampering" and alert.incident.evidence.get().audit_entry_id == verify.pk


@pytest.mark.django_db
def test_asking_for_another_departments_drafts_by_id_raises_a_warning():
    from tests.catalog.factories import draft

    rule = only("denied")
    owner = user_with_role(Role.DATA_OFFICER)
    drafts = [draft(owner, name=f"草稿{i}") for i in range(rule.threshold)]
    prober = user_with_role(Role.DATA_OFFICER)
    client = Client()
    client.force_login(prober)
    for entry in drafts:
        assert client.get(reverse("catalog:detail", args=[entry.pk])).status_code == 404
    run()
    (alert,) = alerts("denied")
    assert alert.subject == f"user:{prober.pk}" and alert.hits == rule.threshold


@pytest.mark.django_db
def test_lock_outs_by_axes_from_one_address_raise_a_warning(settings):
    rule = only("lockout")
    client = Client(REMOTE_ADDR="203.0.113.77")
    for i in range(rule.threshold):
        user = user_with_role(Role.DEPARTMENT_STAFF, username=f"victim{i}")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": user.username, "password": "wrong-password-1!"})
    assert AuditEntry.objects.filter(action="auth.locked_out").count() >= rule.threshold
    run()
    (alert,) = alerts("lockout")
    assert alert.subject == "ip:203.0.113.77" and alert.kind == Alert.Kind.WARNING


@pytest.mark.django_db
def test_one_account_signing_in_from_two_addresses_raises_a_warning():
    only("shared_account")
    user = user_with_role(Role.DEPARTMENT_STAFF, username="shared_one")
    for address in ("10.0.0.5", "172.16.0.9"):
        answer = Client(REMOTE_ADDR=address).post(reverse("login"), {"username": user.username, "password": PASSWORD})
        assert answer.status_code == 302
    run()
    (alert,) = alerts("shared_account")
    assert alert.subject == f"user:{user.pk}" and "10.0.0.5" in alert.description
