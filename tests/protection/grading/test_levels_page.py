"""The bureau administrator names the levels and sets how many there are (Lhasa art. 39; docs/grading.md)."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from catalog.models import DataItem
from portal.errors import DomainError, PermissionDeniedError
from portal.roles import Role
from protection.grading import levels
from protection.grading.models import GradeLevel
from protection.grading.selectors import level_choices
from tests.catalog.factories import draft
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return user_with_role(Role.BUREAU_ADMIN)


def test_the_admin_renames_a_level_and_every_grade_reads_the_new_name(admin, client):
    client.force_login(admin)
    page = client.get(reverse("grading:levels")).content.decode()
    assert 'data-testid="grade-levels"' in page and "PROTECTION_SENSITIVE_LEVEL" in page
    client.post(reverse("grading:levels"), {"action": "rename", "number": "3", "name": "受限", "description": "x"})
    assert GradeLevel.objects.get(number=3).name == "受限"
    assert (3, "3 受限") in level_choices()
    assert AuditEntry.objects.filter(action="grading.level.rename").exists()


def test_the_admin_adds_and_removes_the_highest_level(admin, settings):
    levels.level_add(actor=admin, name="绝密", description="")
    assert GradeLevel.objects.order_by("-number").first().number == 5
    assert levels.level_remove(actor=admin) == 5
    with pytest.raises(DomainError) as refused:  # level 4 is where co-approval starts
        levels.level_remove(actor=admin)
    assert refused.value.code == "level_in_rules"


def test_a_level_in_use_is_not_removed(admin, officer):
    levels.level_add(actor=admin, name="绝密")
    DataItem.objects.filter(version=draft(officer).working_version, position=1).update(grade_level=5)
    with pytest.raises(DomainError) as refused:
        levels.level_remove(actor=admin)
    assert refused.value.code == "level_in_use" and GradeLevel.objects.filter(number=5).exists()


def test_only_the_bureau_admin_keeps_the_levels(client, reviewer):
    with pytest.raises(PermissionDeniedError):
        levels.level_add(actor=reviewer, name="x")
    client.force_login(reviewer)
    assert client.get(reverse("grading:levels")).status_code == 403


def test_a_blank_name_is_refused_with_a_message(admin, client):
    client.force_login(admin)
    response = client.post(reverse("grading:levels"), {"action": "add", "name": " "}, follow=True)
    assert response.status_code == 200 and "请填写级别名称" in response.content.decode()
