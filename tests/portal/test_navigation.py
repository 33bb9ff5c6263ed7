"""Navigation and home page by role; public visitors see the open-data landing page."""

import pytest
from django.urls import reverse

from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def nav_keys(response):
    import re

    return re.findall(r'data-nav="([a-z-]+)"', response.content.decode())


EXPECTED = {
    None: ["home", "open-data"],
    Role.PUBLIC: ["home", "open-data", "open-applications", "open-keys", "api-docs"],
    Role.DEPARTMENT_STAFF: ["home", "open-data", "catalog", "sharing", "departments", "dashboard", "api-docs"],
    Role.DATA_OFFICER: [
        "home",
        "open-data",
        "catalog",
        "catalog-duties",
        "sharing",
        "sharing-review",
        "open-publish",
        "open-applications",
        "departments",
        "dashboard",
        "audit-usage",
        "staff",
        "incidents",
        "selfchecks",
        "api-docs",
    ],
    Role.BUREAU_REVIEWER: [
        "home",
        "open-data",
        "catalog",
        "catalog-review",
        "catalog-duties",
        "catalog-synonyms",
        "sharing",
        "sharing-review",
        "open-review",
        "open-applications",
        "departments",
        "dashboard",
        "incidents",
        "detection",
        "selfchecks",
        "api-docs",
    ],
    Role.BUREAU_ADMIN: [
        "home",
        "open-data",
        "catalog",
        "catalog-duties",
        "catalog-synonyms",
        "sharing",
        "sharing-scenarios",
        "departments",
        "dashboard",
        "calendar",
        "policy",
        "staff",
        "audit-integrity",
        "signatures-certificates",
        "incidents",
        "detection",
        "selfchecks",
        "grading-levels",
        "admin",
        "encryption-status",
        "api-docs",
    ],
    Role.AUDITOR: [
        "home",
        "open-data",
        "audit-log",
        "signatures-certificates",
        "incidents",
        "detection",
        "selfchecks",
        "encryption-status",
        "api-docs",
    ],
}

HOME_TITLES = {
    Role.PUBLIC: "公众用户中心",
    Role.DEPARTMENT_STAFF: "部门工作人员工作台",
    Role.DATA_OFFICER: "部门数据管理员工作台",
    Role.BUREAU_REVIEWER: "大数据局审核员工作台",
    Role.BUREAU_ADMIN: "大数据局管理员工作台",
    Role.AUDITOR: "审计员工作台",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_navigation_and_home(client, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert nav_keys(response) == EXPECTED[role]
    assert HOME_TITLES[role] in response.content.decode()


def test_anonymous_visitor_sees_the_open_data_landing_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert nav_keys(response) == EXPECTED[None]
    assert "政务数据开放" in response.content.decode()


def test_pages_of_other_roles_are_refused(client, staff, auditor, bureau_admin):
    client.force_login(staff)
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("calendar")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("calendar")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: sent to the admin sign-in
    client.force_login(bureau_admin)
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("calendar")).status_code == 200


def test_bureau_admin_home_warns_about_a_missing_calendar_year(client, bureau_admin):
    from portal.models import MissingCalendarYear

    MissingCalendarYear.objects.create(year=2027)
    client.force_login(bureau_admin)
    body = client.get(reverse("home")).content.decode()
    assert "工作日历缺失" in body and "2027" in body


def test_assets_are_served_locally(client):
    body = client.get(reverse("home")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert "http://" not in body.replace('xmlns="http://', "") and "https://" not in body
