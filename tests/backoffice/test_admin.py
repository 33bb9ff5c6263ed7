"""The bureau admin's back office: in Chinese, audited, and bound by separation of duties."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import Department, User
from portal.roles import Role
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_admin_site_is_in_chinese_for_the_bureau_admin(client, bureau_admin):
    client.force_login(bureau_admin)
    body = client.get(reverse("admin:index")).content.decode()
    assert "政务数据共享开放平台 · 管理后台" in body
    assert "部门" in body and "工作日历" in body
    assert "审计记录" not in body  # the log is not the admin's


def test_only_the_bureau_admin_enters_the_admin_site(client, reviewer, auditor, officer):
    for user in (reviewer, auditor, officer):
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == 302


def test_creating_a_department_is_audited_and_gets_its_group(client, bureau_admin):
    client.force_login(bureau_admin)
    parent = Department.objects.filter(level="city").first() or DepartmentFactory(level="city")
    from portal.demo import make_uscc

    response = client.post(
        reverse("admin:portal_department_add"),
        {
            "name": "示范市文化和旅游局",
            "short_name": "",
            "code": "wlj",
            "uscc": make_uscc("540100", 77),
            "level": "department",
            "parent": parent.pk,
            "is_active": "on",
            "contact_name": "",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    department = Department.objects.get(code="wlj")
    assert department.group.name == f"department:{department.pk}"
    assert AuditEntry.objects.filter(
        action="admin.add", object_id=str(department.pk), actor_id=bureau_admin.pk
    ).exists()


def test_invalid_credit_code_and_tree_are_refused_with_chinese_errors(client, bureau_admin):
    from portal.demo import make_uscc

    client.force_login(bureau_admin)
    valid = make_uscc("540100", 78)
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client.post(
        reverse("admin:portal_department_add"),
        {"name": "错误部门", "code": "bad", "uscc": wrong_check, "level": "county", "is_active": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码无效" in body
    assert "县/区和部门必须有上级" in body
    assert not Department.objects.filter(code="bad").exists()


def _user_form(user, **overrides):
    data = {
        "username": user.username,
        "real_name": user.real_name,
        "email": user.email,
        "phone": "",
        "title": "",
        "department": user.department_id or "",
        "is_active": "on",
        "roles": [r.value for r in user.roles],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(overrides)
    return data


def test_bureau_admin_cannot_change_their_own_roles(client, bureau_admin):
    client.force_login(bureau_admin)
    url = reverse("admin:portal_user_change", args=[bureau_admin.pk])
    response = client.post(url, _user_form(bureau_admin, roles=["bureau_admin", "bureau_reviewer"]))
    assert response.status_code == 200
    assert "不能修改自己的角色" in response.content.decode()
    assert User.objects.get(pk=bureau_admin.pk).roles == [Role.BUREAU_ADMIN]


def test_auditor_and_admin_roles_cannot_be_combined(client, bureau_admin, staff):
    client.force_login(bureau_admin)
    url = reverse("admin:portal_user_change", args=[staff.pk])
    response = client.post(url, _user_form(staff, roles=["auditor", "bureau_admin"]))
    assert response.status_code == 200
    assert "职责分离" in response.content.decode()


def test_admin_assigns_roles_and_the_change_is_audited(client, bureau_admin, staff):
    client.force_login(bureau_admin)
    url = reverse("admin:portal_user_change", args=[staff.pk])
    response = client.post(url, _user_form(staff, roles=["data_officer"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=staff.pk).roles == [Role.DATA_OFFICER]
    assert AuditEntry.objects.filter(action="admin.change", object_id=str(staff.pk)).exists()


def test_new_user_password_must_pass_the_rule(client, bureau_admin):
    client.force_login(bureau_admin)
    department = bureau_admin.department
    data = {
        "username": "newbie",
        "real_name": "新人",
        "email": "n@example.gov.cn",
        "department": department.pk,
        "roles": ["department_staff"],
        "password1": "abcdefgh1",
        "password2": "abcdefgh1",
        "usable_password": "true",
    }
    response = client.post(reverse("admin:portal_user_add"), data)
    assert response.status_code == 200
    assert "密码必须包含特殊字符" in response.content.decode()
    data.update(password1="Xin#mima2026", password2="Xin#mima2026")
    response = client.post(reverse("admin:portal_user_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newbie")
    assert user.roles == [Role.DEPARTMENT_STAFF]
    assert user.groups.filter(name=f"department:{department.pk}").exists()
