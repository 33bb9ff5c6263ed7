"""Issue 19 part 6: the bureau admin creates an account in the portal, with roles by their Chinese
names; the person sets the password through a one-time link (shown to the admin, mailed to them)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role
from tests.accounts.staff_world import URLS

pytestmark = [pytest.mark.django_db, URLS]

NEW_PASSWORD = "Xin#Mima2026a"


def _create(client, **overrides):
    data = {
        "username": "zhang_san",
        "real_name": "张三",
        "department": "",
        "roles": ["data_officer", "department_staff"],
        "email": "zhangsan@example.gov.cn",
        "phone": "",
        "title": "科员",
    }
    data.update(overrides)
    return client.post(reverse("accounts:user_create"), data)


def _set_password(client, link, password=NEW_PASSWORD):
    """Open the link as the person would, and choose a password."""
    answer = client.get(link, follow=True)
    if answer.status_code != 200 or "new_password1" not in answer.content.decode():
        return answer
    return client.post(answer.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_form_offers_every_role_by_its_chinese_name(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("accounts:user_create")).content.decode()
    for role in Role:
        assert str(role.label) in body
    assert "department:" not in body and "pbkdf2" not in body


def test_the_bureau_admin_creates_an_account_with_two_roles_and_a_one_time_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _create(client, department=world.market.pk)
    assert answer.status_code == 200
    user = User.objects.get(username="zhang_san")
    assert user.real_name == "张三" and user.department == world.market and user.is_active
    assert set(user.roles) == {Role.DATA_OFFICER, Role.DEPARTMENT_STAFF}
    assert not user.has_usable_password()
    assert user.groups.filter(name=f"department:{world.market.pk}").exists()

    body = answer.content.decode()
    link = re.search(r'data-testid="set-password-link" value="([^"]+)"', body).group(1)
    assert "/accounts/password/reset/" in link
    assert "zhangsan@example.gov.cn" in body
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body and mail.outbox[0].to == ["zhangsan@example.gov.cn"]

    entry = AuditEntry.objects.get(action="accounts.user.create", object_id=str(user.pk))
    assert entry.actor_id == world.admin.pk
    assert sorted(entry.detail["roles"]) == ["data_officer", "department_staff"]
    assert "password" not in str(entry.detail)


def test_the_one_time_link_works_once(client, world):
    client.force_login(world.admin)
    body = _create(client, department=world.market.pk).content.decode()
    link = re.search(r'data-testid="set-password-link" value="([^"]+)"', body).group(1)
    client.logout()

    done = _set_password(client, link)
    assert done.status_code == 302
    user = User.objects.get(username="zhang_san")
    assert user.check_password(NEW_PASSWORD)

    again = client.get(link, follow=True)
    assert "new_password1" not in again.content.decode()
    assert _set_password(client, link, "Other#Mima2026b").status_code != 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    signed = client.post(reverse("login"), {"username": "zhang_san", "password": NEW_PASSWORD})
    assert signed.status_code == 302


def test_a_taken_user_name_is_a_chinese_form_error_and_nothing_is_written(client, world):
    client.force_login(world.admin)
    before = User.objects.count()
    answer = _create(client, username=world.clerk.username.upper(), department=world.market.pk)
    assert answer.status_code == 400
    assert "已被使用" in answer.content.decode()
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action="accounts.user.create").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"roles": []}, "请至少选择一个角色"),
        ({"real_name": ""}, "请填写真实姓名"),
        ({"username": "有 空格"}, "用户名只能包含"),
        ({"email": "not-an-address"}, "请输入有效的电子邮箱地址"),
        ({"roles": ["department_staff"], "department": ""}, "必须属于一个部门"),
        ({"roles": ["no_such_role"]}, "角色不存在"),
    ],
)
def test_bad_input_answers_400_with_the_reason_in_chinese(client, world, overrides, message):
    client.force_login(world.admin)
    data = {"department": world.market.pk, **overrides}
    answer = _create(client, **data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not User.objects.filter(username__in=["zhang_san", "有 空格"]).exists()


def test_a_bureau_account_needs_no_department(client, world):
    client.force_login(world.admin)
    assert _create(client, roles=["bureau_reviewer"], email="").status_code == 200
    user = User.objects.get(username="zhang_san")
    assert user.department is None and user.roles == [Role.BUREAU_REVIEWER]
    assert not mail.outbox
