"""Issue 19 part 6: the account management API uses the same services and scope as the pages."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_the_admin_creates_an_account_and_gets_the_link(client, world):
    client.force_login(world.admin)
    answer = client.post(
        reverse("staff-user-list"),
        {"username": "api_user", "real_name": "接口用户", "department": world.police.pk, "roles": ["department_staff"]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert "/accounts/password/reset/" in answer.json()["url"]
    assert answer.json()["user"]["roles"] == [{"code": "department_staff", "name": "部门工作人员"}]
    assert User.objects.get(username="api_user").department == world.police


def test_an_account_without_a_department_is_a_city_account_or_a_400_never_a_500(client, world):
    # the department may be left out of the body (the API fuzzer found a 500 when it was)
    client.force_login(world.admin)
    url = reverse("staff-user-list")
    city = client.post(
        url, {"username": "city_auditor", "real_name": "审计员", "roles": ["auditor"]}, content_type="application/json"
    )
    assert city.status_code == 201, city.content
    assert User.objects.get(username="city_auditor").department is None
    answer = client.post(
        url,
        {"username": "no_dept", "real_name": "无部门", "roles": ["department_staff"]},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "部门" in answer.json()["detail"], answer.content
    assert not User.objects.filter(username="no_dept").exists()


def test_the_officer_sees_only_their_department_and_gets_403_for_a_bureau_role(client, world):
    client.force_login(world.officer)
    listed = {u["username"] for u in client.get(reverse("staff-user-list")).json()["results"]}
    assert listed == {world.officer.username, world.clerk.username}
    assert client.get(reverse("staff-user-detail", args=[world.police_clerk.pk])).status_code == 404
    answer = client.patch(
        reverse("staff-user-detail", args=[world.clerk.pk]),
        {"roles": ["bureau_admin"]},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert User.objects.get(pk=world.clerk.pk).roles == [Role.DEPARTMENT_STAFF]


def test_self_deactivation_is_a_400_in_chinese(client, world):
    client.force_login(world.admin)
    answer = client.post(reverse("staff-user-deactivate", args=[world.admin.pk]), {}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "不能停用自己的账号。"


def test_deactivate_unlock_and_reset_by_api(client, world):
    client.force_login(world.admin)
    pk = world.clerk.pk
    assert client.post(reverse("staff-user-unlock", args=[pk])).json() == {"attempts_cleared": 0}
    assert client.post(reverse("staff-user-password-reset", args=[pk])).status_code == 201
    deactivated = client.post(
        reverse("staff-user-deactivate", args=[pk]), {"reason": "离职"}, content_type="application/json"
    )
    assert deactivated.json()["is_active"] is False
    actions = set(
        AuditEntry.objects.filter(object_id=str(pk), action__startswith="accounts.").values_list("action", flat=True)
    )
    assert actions == {"accounts.user.unlock", "accounts.user.password_reset", "accounts.user.deactivate"}


def test_the_admin_renames_a_department_by_api(client, world):
    client.force_login(world.admin)
    answer = client.patch(
        reverse("managed-department-detail", args=[world.police.pk]),
        {"name": "市公安局"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    world.police.refresh_from_db()
    assert world.police.name == "市公安局"
    bad = client.patch(
        reverse("managed-department-detail", args=[world.police.pk]), {"uscc": "1"}, content_type="application/json"
    )
    assert bad.status_code == 400
    client.force_login(world.officer)
    assert client.get(reverse("managed-department-list")).status_code == 403
