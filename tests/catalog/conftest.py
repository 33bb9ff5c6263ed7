import uuid

import pytest

from catalog import datastore


@pytest.fixture
def table():
    """A fresh table name for the datastore tests; the table is dropped after the test if it exists."""
    name = "t_" + uuid.uuid4().hex[:16]
    yield name
    from django.db import connection

    if not connection.needs_rollback:
        datastore.drop_table(name)
