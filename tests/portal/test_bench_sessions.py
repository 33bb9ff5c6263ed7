"""The benchmarks sign their users in with prepared session rows (bench.common.session_cookie): such a
session must reach the pages as a real sign-in does, second factor and absolute lifetime included
(SECURITY.md 14.15), or the benchmarks would time redirects to the second step instead of pages."""

import pytest
from django.conf import settings
from django.test import Client

from bench.common import session_cookie
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.AUDITOR, Role.DEPARTMENT_STAFF])
def test_a_bench_session_reaches_the_home_page_of_every_role(role):
    user = user_with_role(role)
    name, value = session_cookie(user).split("=", 1)
    assert name == settings.SESSION_COOKIE_NAME
    client = Client()
    client.cookies[name] = value
    response = client.get("/")
    assert response.status_code == 200, response.get("Location")
    assert response.wsgi_request.user == user
