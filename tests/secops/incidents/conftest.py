import pytest

from portal.roles import Role
from tests.factories import user_with_role
from tests.sharing import factories


@pytest.fixture
def world(db):
    return factories.world()


@pytest.fixture
def handler(db):
    """The bureau's security staff (Lhasa art. 39: the bureau handles incidents)."""
    return user_with_role(Role.BUREAU_ADMIN, username="secops_admin")
