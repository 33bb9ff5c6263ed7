import pytest

from tests.sharing import factories


@pytest.fixture
def world(db):
    return factories.world()
