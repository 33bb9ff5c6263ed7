import os

import pytest

from portal.roles import Role
from tests.factories import PASSWORD, user_with_role


@pytest.fixture(autouse=True)
def _calendar_and_roles(request):
    """Transactional tests flush the database: put back what migrations seed (calendar, role groups)."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not (names & {"db", "transactional_db", "live_server"} or marker):
        return
    transactional = names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.auth.models import Group

    from portal.models import CalendarYear
    from portal.services.roles import ensure_role_groups
    from portal.workdays import seed_from_library

    if not CalendarYear.objects.exists():
        seed_from_library()
    if Group.objects.filter(name__in=[r.value for r in Role]).count() != len(Role):
        ensure_role_groups()
    # Counts cached in Redis outlive the rolled-back rows they counted: start from a new generation.
    from catalog.selectors import FACET_COUNTS
    from portal.inbox import COUNTS
    from portal.policy import CACHE as POLICY_CACHE

    FACET_COUNTS.forget()
    COUNTS.forget()
    POLICY_CACHE.forget()
    if transactional:
        # The flush empties the tables but leaves the datastore's data tables, whose names derive
        # from ids that start again: drop them so the next test doesn't find "r1_v1" taken.
        request.addfinalizer(_drop_datastore_tables)


def _drop_datastore_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS datastore CASCADE")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    return user_with_role


@pytest.fixture
def staff(db):
    return user_with_role(Role.DEPARTMENT_STAFF)


@pytest.fixture
def officer(db):
    return user_with_role(Role.DATA_OFFICER)


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.BUREAU_REVIEWER)


@pytest.fixture
def bureau_admin(db):
    return user_with_role(Role.BUREAU_ADMIN)


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR)


@pytest.fixture
def public_user(db):
    return user_with_role(Role.PUBLIC)


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session", autouse=True)
def _empty_test_queue():
    """Messages left in the test queue by an earlier run would be taken by this run's workers."""
    from django.conf import settings

    from config.celery import app

    with app.connection_for_write() as connection:
        try:
            connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
        except Exception:  # noqa: BLE001 - the queue does not exist yet
            pass


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(monkeypatch):
    """SECURITY.md 14.15: roles that need the second factor are refused with the password alone. A test's
    client.force_login(user) signs in with both factors, like a user who typed the password and then
    the code of a real TOTP device (tests/otp.py); tests of the second factor itself sign in through
    the forms."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from accounts.services.second_factor import needs_second_factor
        from tests.otp import mark_verified

        fresh = type(user).objects.get(pk=user.pk)  # no role cache left on the test's own object
        if needs_second_factor(fresh):
            mark_verified(self, fresh)

    monkeypatch.setattr(Client, "force_login", force_login)
