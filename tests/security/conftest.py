"""The security suite's transactional tests commit data (the servers they start must see it). The flush
after each one empties Django's tables but not the datastore's data tables, whose names come from ids
that start again: drop them, or the next test finds "r1_v1" taken."""

import pytest


def drop_datastore_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS datastore CASCADE")


@pytest.fixture(autouse=True)
def _drop_datastore_tables_after_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    yield
    if transactional:
        drop_datastore_tables()
