import pytest
from django.utils import timezone

from portal.roles import Role
from secops.selfchecks import checks
from tests.factories import user_with_role


@pytest.fixture
def security_admin(db):
    """The bureau's security staff (Lhasa art. 39), with a second factor."""
    from tests.otp import device_for

    user = user_with_role(Role.BUREAU_ADMIN, username="selfcheck_admin")
    device_for(user)
    return user


def run_check(code: str, *, now=None) -> list:
    """One check of the registry, run as a self-check run would run it."""
    check = next(c for c in checks.registry() if c.code == code)
    return check.run(checks.Context(now=now or timezone.now(), bureau_id=None))
