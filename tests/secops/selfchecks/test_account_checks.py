"""004 and Lhasa art. 38: the self-check finds dormant accounts, privileged accounts without a
second factor, shared-account signals (one account, several addresses a day) and department moves."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from audit.services import record
from portal.models import User
from portal.roles import Role
from tests.factories import user_with_role
from tests.otp import device_for
from tests.secops.selfchecks.conftest import run_check

pytestmark = pytest.mark.django_db


def _subjects(found, username):
    return [f for f in found if username in str(f.subject)]


def test_an_account_not_signed_in_for_long_is_dormant():
    sleeper = user_with_role(Role.DEPARTMENT_STAFF, username="sleeper")
    User.objects.filter(pk=sleeper.pk).update(last_login=timezone.now() - dt.timedelta(days=200))
    found = _subjects(run_check("dormant_accounts"), "sleeper")
    assert len(found) == 1 and found[0].owner_department_id == sleeper.department_id
    assert found[0].severity == "medium"


def test_an_account_used_last_week_is_not_dormant():
    active = user_with_role(Role.DEPARTMENT_STAFF, username="active_one")
    User.objects.filter(pk=active.pk).update(last_login=timezone.now() - dt.timedelta(days=7))
    assert _subjects(run_check("dormant_accounts"), "active_one") == []


def test_a_privileged_account_without_a_second_factor_is_found():
    user_with_role(Role.AUDITOR, username="bare_auditor")
    found = _subjects(run_check("privileged_no_2fa"), "bare_auditor")
    assert len(found) == 1 and found[0].severity == "high"


def test_a_privileged_account_with_a_confirmed_device_is_not_found():
    device_for(user_with_role(Role.AUDITOR, username="safe_auditor"))
    user_with_role(Role.DEPARTMENT_STAFF, username="plain_staff")  # not privileged
    found = run_check("privileged_no_2fa")
    assert _subjects(found, "safe_auditor") == [] and _subjects(found, "plain_staff") == []


def _sign_in(user, address):
    record("auth.login", actor=user, target=user, request=SimpleNamespace(client_ip=address, request_id="", user=user))


def test_one_account_signed_in_from_three_addresses_in_a_day_is_a_shared_account_signal():
    shared = user_with_role(Role.DEPARTMENT_STAFF, username="shared_one")
    for address in ("10.1.0.1", "10.1.0.2", "10.1.0.3"):
        _sign_in(shared, address)
    found = _subjects(run_check("shared_accounts"), "shared_one")
    assert len(found) == 1 and "3" in found[0].detail and found[0].owner_department_id == shared.department_id


def test_signing_in_again_from_the_same_address_is_no_signal():
    single = user_with_role(Role.DEPARTMENT_STAFF, username="single_one")
    _sign_in(single, "10.2.0.1")
    _sign_in(single, "10.2.0.1")
    assert _subjects(run_check("shared_accounts"), "single_one") == []


def test_a_user_moved_to_another_department_is_found():
    moved = user_with_role(Role.DEPARTMENT_STAFF, username="moved_one")
    record("admin.change", target=moved, detail={"message": '[{"changed": {"fields": ["所属部门"]}}]'})
    found = _subjects(run_check("department_moves"), "moved_one")
    assert len(found) == 1 and found[0].severity == "low"


def test_another_change_of_a_user_is_not_a_department_move():
    other = user_with_role(Role.DEPARTMENT_STAFF, username="renamed_one")
    record("admin.change", target=other, detail={"message": '[{"changed": {"fields": ["职务"]}}]'})
    assert _subjects(run_check("department_moves"), "renamed_one") == []
