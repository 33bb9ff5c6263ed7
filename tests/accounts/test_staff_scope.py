"""Issue 19 part 6: a data officer manages the staff of their own department only, and gives only
the department roles; another department's account answers 404 (SECURITY.md 14.4); other roles
have no account pages."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role
from tests.accounts.staff_world import URLS
from tests.factories import user_with_role

pytestmark = [pytest.mark.django_db, URLS]


def test_the_officer_lists_only_their_own_department(client, world):
    client.force_login(world.officer)
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert set(re.findall(r'data-username="([^"]+)"', body)) == {world.clerk.username, world.officer.username}
    assert world.police.name not in body and "大数据局管理员" not in body


def test_a_bureau_account_in_the_officers_department_is_not_theirs(client, world):
    bureau_in_market = user_with_role(Role.BUREAU_REVIEWER, department=world.market, username="rev_in_market")
    client.force_login(world.officer)
    assert bureau_in_market.username not in client.get(reverse("accounts:user_list")).content.decode()
    assert client.get(reverse("accounts:user_detail", args=[bureau_in_market.pk])).status_code == 404


@pytest.mark.parametrize(
    "route", ["user_detail", "user_edit", "user_deactivate", "user_unlock", "user_password_reset", "user_reactivate"]
)
def test_another_departments_account_answers_404_to_the_officer(client, world, route):
    client.force_login(world.officer)
    url = reverse(f"accounts:{route}", args=[world.police_clerk.pk])
    answer = client.get(url) if route in ("user_detail", "user_edit") else client.post(url)
    assert answer.status_code == 404
    world.police_clerk.refresh_from_db()
    assert world.police_clerk.is_active and world.police_clerk.has_usable_password()
    assert AuditEntry.objects.filter(action="request.denied", object_id=str(world.police_clerk.pk)).exists()


def test_the_officer_cannot_grant_a_bureau_role(client, world):
    client.force_login(world.officer)
    answer = client.post(
        reverse("accounts:user_create"),
        {"username": "sneaky", "real_name": "某人", "department": world.market.pk, "roles": ["bureau_admin"]},
    )
    assert answer.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()

    edit = client.post(
        reverse("accounts:user_edit", args=[world.clerk.pk]),
        {"real_name": "职员", "department": world.market.pk, "roles": ["department_staff", "auditor"]},
    )
    assert edit.status_code == 403
    assert world.clerk.roles == [Role.DEPARTMENT_STAFF]
    assert not AuditEntry.objects.filter(action__startswith="accounts.user.").exists()


def test_the_officer_is_offered_only_department_roles_and_their_department(client, world):
    client.force_login(world.officer)
    body = client.get(reverse("accounts:user_create")).content.decode()
    assert "部门工作人员" in body and "部门数据管理员" in body
    assert "大数据局管理员" not in body and "审计员" not in body
    assert world.market.name in body and world.police.name not in body


def test_the_officer_cannot_create_an_account_in_another_department(client, world):
    client.force_login(world.officer)
    answer = client.post(
        reverse("accounts:user_create"),
        {"username": "elsewhere", "real_name": "某人", "department": world.police.pk, "roles": ["department_staff"]},
    )
    assert answer.status_code == 400
    assert "请选择列表中的部门" in answer.content.decode()
    assert not User.objects.filter(username="elsewhere").exists()


def test_the_officer_creates_staff_of_their_department(client, world):
    client.force_login(world.officer)
    answer = client.post(
        reverse("accounts:user_create"),
        {"username": "new_clerk", "real_name": "新职员", "department": world.market.pk, "roles": ["department_staff"]},
    )
    assert answer.status_code == 200
    user = User.objects.get(username="new_clerk")
    assert user.department == world.market and user.roles == [Role.DEPARTMENT_STAFF]
    assert AuditEntry.objects.filter(action="accounts.user.create", actor_id=world.officer.pk).exists()


def test_the_officer_keeps_roles_they_cannot_give(client, world):
    """A department account that also holds the public user's role keeps it when the officer edits it."""
    from portal.services.roles import set_user_roles

    set_user_roles(world.clerk, [Role.DEPARTMENT_STAFF, Role.PUBLIC])
    client.force_login(world.officer)
    answer = client.post(
        reverse("accounts:user_edit", args=[world.clerk.pk]),
        {"real_name": "职员", "department": world.market.pk, "roles": ["data_officer"]},
    )
    assert answer.status_code == 302
    clerk = User.objects.get(pk=world.clerk.pk)
    assert clerk.roles == [Role.DATA_OFFICER, Role.PUBLIC]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.BUREAU_REVIEWER, Role.AUDITOR, Role.PUBLIC])
def test_other_roles_have_no_account_pages(client, world, role):
    client.force_login(user_with_role(role, username=f"u_{role.value}"))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[world.clerk.pk])).status_code == 403
    assert client.get(reverse("accounts:department_list")).status_code == 403


def test_the_officer_has_no_department_pages(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("accounts:department_list")).status_code == 403
    assert client.get(reverse("accounts:department_edit", args=[world.market.pk])).status_code == 403
