"""Issue 19 part 6: the bureau admin adds, renames, moves and switches off departments in the
portal; each change audited with what it was; bad input is a form error, nothing written."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal import demo
from portal.models import Department
from tests.accounts.staff_world import URLS

pytestmark = [pytest.mark.django_db, URLS]


def _body(department=None, **overrides):
    city = Department.objects.get(level=Department.Level.CITY)
    data = {
        "name": "市医疗保障局",
        "short_name": "医保局",
        "code": "ybj",
        "uscc": demo.make_uscc("540100", 7001),
        "level": "department",
        "parent": city.pk,
        "contact_name": "李四",
        "contact_phone": "0891-1234567",
        "is_active": "on",
    }
    if department is not None:
        data.update(
            {
                "name": department.name,
                "short_name": department.short_name,
                "code": department.code,
                "uscc": department.uscc,
                "level": department.level,
                "parent": department.parent_id or "",
            }
        )
    data.update(overrides)
    return data


def test_the_admin_adds_a_department_with_its_group(client, world):
    client.force_login(world.admin)
    answer = client.post(reverse("accounts:department_create"), _body())
    assert answer.status_code == 302
    department = Department.objects.get(code="ybj")
    assert department.name == "市医疗保障局" and department.group.name == f"department:{department.pk}"
    entry = AuditEntry.objects.get(action="accounts.department.create", object_id=str(department.pk))
    assert entry.detail["name"] == "市医疗保障局"
    assert "市医疗保障局" in client.get(reverse("accounts:department_list")).content.decode()


def test_the_admin_renames_a_department_and_the_log_keeps_the_old_name(client, world):
    client.force_login(world.admin)
    old = world.market.name
    answer = client.post(
        reverse("accounts:department_edit", args=[world.market.pk]), _body(world.market, name="市场监管局")
    )
    assert answer.status_code == 302
    world.market.refresh_from_db()
    assert world.market.name == "市场监管局"
    entry = AuditEntry.objects.get(action="accounts.department.change", object_id=str(world.market.pk))
    assert entry.detail["changed"]["name"] == {"from": old, "to": "市场监管局"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": "123"}, "uscc"),
        ({"name": ""}, "name"),
        ({"code": "有空格 code"}, "code"),
        ({"parent": ""}, "parent"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_written(client, world, overrides, field):
    client.force_login(world.admin)
    before = Department.objects.count()
    answer = client.post(reverse("accounts:department_create"), _body(**overrides))
    assert answer.status_code == 400
    assert f'data-testid="error-{field}"' in answer.content.decode()
    assert Department.objects.count() == before
    assert not AuditEntry.objects.filter(action="accounts.department.create").exists()


def test_a_taken_code_is_refused(client, world):
    client.force_login(world.admin)
    answer = client.post(reverse("accounts:department_create"), _body(code=world.market.code))
    assert answer.status_code == 400
    assert 'data-testid="error-code"' in answer.content.decode()


def test_a_department_with_active_children_is_not_switched_off(client, world):
    city = Department.objects.get(level=Department.Level.CITY)
    client.force_login(world.admin)
    data = _body(city)
    data.pop("is_active")
    answer = client.post(reverse("accounts:department_edit", args=[city.pk]), data)
    assert answer.status_code == 400
    assert "请先停用下级部门" in answer.content.decode()
    city.refresh_from_db()
    assert city.is_active


def test_the_officer_cannot_add_a_department(client, world):
    client.force_login(world.officer)
    assert client.post(reverse("accounts:department_create"), _body()).status_code == 403
    assert not Department.objects.filter(code="ybj").exists()
