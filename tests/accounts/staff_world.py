"""The world of the account management tests: two departments, their data officers and staff, a
bureau admin; helpers that act through the pages."""

from __future__ import annotations

import pytest

from portal.roles import Role
from tests.factories import DepartmentFactory, user_with_role

# The account pages are under /accounts/ once config/urls.py includes accounts.urls.
URLS = pytest.mark.urls("tests.accounts.urls")


class StaffWorld:
    def __init__(self):
        self.market = DepartmentFactory(name="市场监督管理局")
        self.police = DepartmentFactory(name="公安局")
        self.admin = user_with_role(Role.BUREAU_ADMIN, username="bureau_admin", real_name="管理员甲")
        self.officer = user_with_role(Role.DATA_OFFICER, department=self.market, username="officer_m", real_name="官员")
        self.clerk = user_with_role(Role.DEPARTMENT_STAFF, department=self.market, username="clerk_m", real_name="职员")
        self.police_clerk = user_with_role(
            Role.DEPARTMENT_STAFF, department=self.police, username="clerk_p", real_name="警员"
        )


@pytest.fixture
def world(db):
    return StaffWorld()


def signed_in(client, user):
    client.force_login(user)
    return client
