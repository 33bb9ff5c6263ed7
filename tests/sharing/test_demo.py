"""seed_demo adds sharing in every state, overdue ones included; safe to run twice."""

import io

import pytest
from django.core.management import call_command

from sharing.models import Application, Coordination, Deadline, Grant, GrantUse, Objection

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_applications_in_every_state_including_overdue_ones():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo sharing:" in out.getvalue()
    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status.values)
    assert set(Grant.objects.values_list("status", flat=True)) >= {"active", "revoked", "expired"}
    assert Application.objects.filter(status="escalated").exists()
    assert Application.objects.filter(scenario__isnull=False, auto_granted=True).exists()
    assert Application.objects.filter(renews__isnull=False, status="submitted").exists()
    assert Deadline.objects.filter(overdue=True, by_bureau=True).exists()
    assert Deadline.objects.filter(overdue=True, escalated_at__isnull=False).count() >= 2
    assert Coordination.objects.filter(status="escalated").count() == 2
    assert set(Objection.objects.values_list("status", flat=True)) == {"open", "confirmed"}
    assert set(GrantUse.objects.values_list("outcome", flat=True)) == {"success", "denied"}
    count = Application.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Application.objects.count() == count
