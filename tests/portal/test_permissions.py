"""The object-permission helper: city-wide roles see everything, department roles only what was
granted to their department (guardian, direct foreign-key tables)."""

import pytest

from portal.errors import PermissionDeniedError
from portal.models import Department, DepartmentGroupObjectPermission
from portal.permissions import can, filter_allowed, grant_to_department, prefetch_for, require, revoke_from_department
from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_data_officer_maintains_only_their_own_departments_catalog():
    own, other = DepartmentFactory(), DepartmentFactory()
    officer = user_with_role(Role.DATA_OFFICER, department=own)
    assert can(officer, "portal.maintain_catalog", own)
    assert not can(officer, "portal.maintain_catalog", other)


def test_department_staff_lack_the_capability_even_in_their_own_department():
    own = DepartmentFactory()
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=own)
    assert not can(staff, "portal.maintain_catalog", own)


def test_grants_go_to_the_department_group_through_the_direct_fk_table():
    own, other = DepartmentFactory(), DepartmentFactory()
    officer = user_with_role(Role.DATA_OFFICER, department=own)
    grant_to_department("portal.maintain_catalog", own, other)
    row = DepartmentGroupObjectPermission.objects.get(
        group=own.group, content_object=other, permission__codename="maintain_catalog"
    )
    assert row.content_object == other
    assert can(user_with_role(Role.DATA_OFFICER, department=own), "portal.maintain_catalog", other)
    revoke_from_department("portal.maintain_catalog", own, other)
    assert not can(user_with_role(Role.DATA_OFFICER, department=own), "portal.maintain_catalog", other)
    assert officer.groups.filter(name=f"department:{own.pk}").exists()


def test_moving_a_user_moves_their_department_rights():
    first, second = DepartmentFactory(), DepartmentFactory()
    officer = user_with_role(Role.DATA_OFFICER, department=first)
    officer.department = second
    officer.save()
    officer = type(officer).objects.get(pk=officer.pk)
    assert can(officer, "portal.maintain_catalog", second)
    assert not can(officer, "portal.maintain_catalog", first)


def test_city_wide_role_applies_to_every_object():
    auditor = user_with_role(Role.AUDITOR)
    assert can(auditor, "audit.view_auditentry")
    assert can(auditor, "portal.view_department", DepartmentFactory())
    assert not can(auditor, "portal.maintain_catalog", auditor.department)


def test_filter_allowed_returns_only_granted_objects_in_one_query(django_assert_max_num_queries):
    own = DepartmentFactory()
    DepartmentFactory.create_batch(3)
    officer = user_with_role(Role.DATA_OFFICER, department=own)
    officer = type(officer).objects.get(pk=officer.pk)
    can(officer, "portal.view_department")  # loads the role permissions
    with django_assert_max_num_queries(2):
        allowed = list(filter_allowed(officer, "portal.maintain_catalog", Department.objects.all()))
    assert allowed == [own]
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    assert filter_allowed(reviewer, "portal.maintain_catalog", Department.objects.all()).count() == 0
    admin = user_with_role(Role.BUREAU_ADMIN)
    assert (
        filter_allowed(admin, "portal.view_department", Department.objects.all()).count() == Department.objects.count()
    )


def test_prefetch_makes_checks_in_a_loop_free(django_assert_max_num_queries):
    departments = DepartmentFactory.create_batch(5)
    officer = user_with_role(Role.DATA_OFFICER, department=departments[0])
    officer = type(officer).objects.get(pk=officer.pk)
    can(officer, "portal.view_department")
    prefetch_for(officer, departments)
    with django_assert_max_num_queries(0):
        results = [can(officer, "portal.maintain_catalog", d) for d in departments]
    assert results == [True, False, False, False, False]


def test_require_raises_a_403_domain_error_in_chinese(rf):
    staff = user_with_role(Role.DEPARTMENT_STAFF)
    with pytest.raises(PermissionDeniedError) as exc:
        require(staff, "portal.maintain_catalog", staff.department)
    assert exc.value.status_code == 403
    assert "权限" in str(exc.value.message)


def test_inactive_and_anonymous_users_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    officer = user_with_role(Role.DATA_OFFICER)
    officer.is_active = False
    assert not can(officer, "portal.maintain_catalog", officer.department)
    assert not can(AnonymousUser(), "portal.view_department")
