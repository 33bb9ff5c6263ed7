"""Issue 19 part 6: editing, deactivating and reactivating an account (never deleted, never one's
own), unlocking a django-axes lock-out and resetting a password (old sessions end, a one-time link),
each in the audit log."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role
from tests.accounts.staff_world import URLS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, URLS]


def _edit(client, user, **data):
    body = {"real_name": user.real_name, "department": user.department_id or "", "roles": [r.value for r in user.roles]}
    body.update(data)
    return client.post(reverse("accounts:user_edit", args=[user.pk]), body)


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_admin_moves_and_regrants_an_account_audited_with_what_changed(client, world):
    client.force_login(world.admin)
    answer = _edit(client, world.clerk, real_name="职员乙", department=world.police.pk, roles=["data_officer"])
    assert answer.status_code == 302
    clerk = User.objects.get(pk=world.clerk.pk)
    assert clerk.real_name == "职员乙" and clerk.department == world.police and clerk.roles == [Role.DATA_OFFICER]
    assert clerk.groups.filter(name=f"department:{world.police.pk}").exists()
    assert not clerk.groups.filter(name=f"department:{world.market.pk}").exists()
    entry = AuditEntry.objects.get(action="accounts.user.change", object_id=str(clerk.pk))
    assert entry.detail["changed"]["department"] == {"from": world.market.pk, "to": world.police.pk}
    assert entry.detail["changed"]["roles"] == {"from": ["department_staff"], "to": ["data_officer"]}


def test_the_detail_page_shows_roles_by_their_chinese_names(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("accounts:user_detail", args=[world.officer.pk])).content.decode()
    assert "部门数据管理员" in body and world.market.name in body
    assert "data_officer" not in body and "department:" not in body


def test_deactivation_ends_the_sessions_and_reactivation_brings_the_account_back(client, world):
    theirs = Client()
    theirs.force_login(world.clerk)
    assert theirs.get(reverse("inbox")).status_code == 200
    client.force_login(world.admin)
    answer = client.post(reverse("accounts:user_deactivate", args=[world.clerk.pk]), {"reason": "调离"})
    assert answer.status_code == 302
    clerk = User.objects.get(pk=world.clerk.pk)
    assert not clerk.is_active
    assert theirs.get(reverse("inbox")).status_code == 302  # signed out
    assert _sign_in(Client(), clerk.username, PASSWORD).status_code != 302
    entry = AuditEntry.objects.get(action="accounts.user.deactivate", object_id=str(clerk.pk))
    assert entry.detail["reason"] == "调离" and entry.detail["sessions_ended"] == 1

    assert client.post(reverse("accounts:user_reactivate", args=[clerk.pk])).status_code == 302
    assert User.objects.get(pk=clerk.pk).is_active
    assert AuditEntry.objects.filter(action="accounts.user.reactivate", object_id=str(clerk.pk)).exists()
    assert _sign_in(Client(), clerk.username, PASSWORD).status_code == 302


def test_nobody_deactivates_themself(client, world):
    client.force_login(world.admin)
    answer = client.post(reverse("accounts:user_deactivate", args=[world.admin.pk]), follow=True)
    assert "不能停用自己的账号" in answer.content.decode()
    assert User.objects.get(pk=world.admin.pk).is_active
    assert not AuditEntry.objects.filter(action="accounts.user.deactivate").exists()
    client.force_login(world.officer)
    client.post(reverse("accounts:user_deactivate", args=[world.officer.pk]))
    assert User.objects.get(pk=world.officer.pk).is_active


def test_the_admin_cannot_take_away_their_own_admin_role(client, world):
    client.force_login(world.admin)
    answer = _edit(client, world.admin, roles=["auditor"])
    assert answer.status_code == 400
    assert "不能取消自己的大数据局管理员角色" in answer.content.decode()
    assert User.objects.get(pk=world.admin.pk).roles == [Role.BUREAU_ADMIN]


def test_unlock_clears_the_axes_lockout(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), world.clerk.username, "wrong-Pass1!")
    assert _sign_in(Client(), world.clerk.username, PASSWORD).status_code == 429
    client.force_login(world.officer)
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "已锁定" in listing

    answer = client.post(reverse("accounts:user_unlock", args=[world.clerk.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "已解锁账号" in answer.content.decode()
    assert not AccessAttempt.objects.filter(username=world.clerk.username).exists()
    assert _sign_in(Client(), world.clerk.username, PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.unlock", object_id=str(world.clerk.pk))
    assert entry.actor_id == world.officer.pk and entry.detail["attempts_cleared"] >= 1


def test_password_reset_ends_the_old_password_and_sessions_and_gives_a_one_time_link(client, world):
    theirs = Client()
    theirs.force_login(world.clerk)
    client.force_login(world.admin)
    answer = client.post(reverse("accounts:user_password_reset", args=[world.clerk.pk]))
    assert answer.status_code == 200
    link = re.search(r'data-testid="set-password-link" value="([^"]+)"', answer.content.decode()).group(1)
    assert theirs.get(reverse("inbox")).status_code == 302
    assert _sign_in(Client(), world.clerk.username, PASSWORD).status_code != 302
    entry = AuditEntry.objects.get(action="accounts.user.password_reset", object_id=str(world.clerk.pk))
    assert entry.detail["sessions_ended"] == 1

    person = Client()
    form = person.get(link, follow=True)
    new = "Xin#Mima2026c"
    assert person.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    assert _sign_in(Client(), world.clerk.username, new).status_code == 302
    assert "new_password1" not in Client().get(link, follow=True).content.decode()


def test_a_deactivated_account_gets_no_reset_link(client, world):
    client.force_login(world.admin)
    client.post(reverse("accounts:user_deactivate", args=[world.clerk.pk]))
    answer = client.post(reverse("accounts:user_password_reset", args=[world.clerk.pk]), follow=True)
    assert "请先启用再重置密码" in answer.content.decode()
    assert User.objects.get(pk=world.clerk.pk).has_usable_password()


def test_the_list_filters_by_department_role_and_state(client, world):
    client.force_login(world.admin)
    world.clerk.is_active = False
    world.clerk.save()

    def names(**query):
        body = client.get(reverse("accounts:user_list"), query).content.decode()
        return set(re.findall(r'data-username="([^"]+)"', body))

    assert names(department=world.market.pk) == {world.officer.username, world.clerk.username}
    assert names(role="data_officer") == {world.officer.username}
    assert names(active="0") == {world.clerk.username}
    assert names(q="警员") == {world.police_clerk.username}
    assert client.get(reverse("accounts:user_list"), {"role": "nope"}).status_code == 400
