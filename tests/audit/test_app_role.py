"""The application's connections as the restricted role (AUDIT_USE_APP_DB_ROLE): the portal works,
the log still refuses changes, maintenance jobs switch to the owner, and flushing the test database
(transactional tests, live server) still works."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEntry
from audit.services.chain import seal
from audit.services.dbroles import current_role
from audit.services.partitions import add_months, create_partition, month_start
from audit.services.verification import check_chain

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_role_connections(settings):
    settings.AUDIT_USE_APP_DB_ROLE = True  # the default of every settings module (SECURITY.md 14.18)
    connection.close()
    yield settings.AUDIT_APP_DB_ROLE
    connection.close()  # the next test starts from a new connection


def test_new_connections_run_as_the_application_role(app_role_connections, client, officer, password):
    assert current_role() == app_role_connections
    response = client.post(reverse("login"), {"username": officer.username, "password": password})
    assert response.status_code == 302  # sessions, users, axes: the app role uses every other table
    entry = AuditEntry.objects.get(action="auth.login", actor_id=officer.pk)
    for statement in (
        "UPDATE audit_auditentry SET action = 'x'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        f"TRUNCATE audit_auditentry_p{entry.occurred_at:%Y%m}",
    ):
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert seal() and check_chain().ok  # the seal job needs no owner rights
    from django.utils import timezone

    name = create_partition(month=add_months(month_start(timezone.localdate()), 11))  # maintenance path
    assert name.endswith(f"{add_months(month_start(timezone.localdate()), 11):%Y%m}")
    assert current_role() == app_role_connections  # back to the app role after maintenance


def test_flush_empties_the_append_only_tables_even_from_the_application_role(app_role_connections, officer):
    from django.core.management import call_command

    from audit.models import AuditBlock
    from audit.services import record

    record("test.operation", actor=officer)
    seal()
    call_command("flush", interactive=False, verbosity=0)  # what transactional tests do after each test
    assert not AuditEntry.objects.exists() and not AuditBlock.objects.exists()
    assert current_role() == app_role_connections
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")  # outside flush: refused again


def test_flush_empties_the_log_for_the_next_test(officer):
    from audit.services import record

    record("test.operation", actor=officer)
    assert AuditEntry.objects.exists()


def test_after_a_flush_the_log_is_empty():
    assert not AuditEntry.objects.exists()


def test_a_live_server_test_records_and_flushes(live_server, officer, password):
    import urllib.request

    with urllib.request.urlopen(live_server.url + reverse("login")) as response:
        assert response.status == 200
    from audit.services import record

    record("test.operation", actor=officer)
    assert AuditEntry.objects.filter(action="test.operation").count() == 1


def test_flush_may_empty_the_log_only_of_a_test_database_or_in_development(settings):
    from audit.management.commands.flush import may_empty_the_log

    settings.DEBUG = False
    assert may_empty_the_log({"NAME": "test_portal"})
    assert may_empty_the_log({"NAME": "audit_ci", "TEST": {"NAME": "audit_ci"}})
    assert not may_empty_the_log({"NAME": "portal", "TEST": {}})
    settings.DEBUG = True
    assert may_empty_the_log({"NAME": "portal"})


@pytest.mark.django_db
def test_the_test_settings_connect_as_the_application_role_which_cannot_change_the_log(settings, officer):
    """SECURITY.md 14.18: with no fixture switching anything, the portal's connection (test settings) is the
    application's role: it cannot change, remove or empty entries, nor switch the triggers off."""
    from audit.services import record
    from audit.services.dbroles import APPEND_ONLY_TABLES

    assert settings.AUDIT_USE_APP_DB_ROLE
    assert current_role() == settings.AUDIT_APP_DB_ROLE
    entry = record("test.operation", actor=officer)
    partition = f"audit_auditentry_p{entry.occurred_at.astimezone():%Y%m}"
    for statement in (
        f"UPDATE audit_auditentry SET action = 'x' WHERE id = {entry.pk}",
        f"DELETE FROM audit_auditentry WHERE id = {entry.pk}",
        "TRUNCATE audit_auditentry",
        f"UPDATE {partition} SET action = 'x'",
        f"DELETE FROM {partition}",
        f"TRUNCATE {partition}",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_forbid_change",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        f"ALTER TABLE {partition} DISABLE TRIGGER ALL",
        "ALTER TABLE audit_auditblock DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
    ):
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:  # read and append, nothing more
            cursor.execute(
                "SELECT has_table_privilege(current_user, %s, 'SELECT'), "
                "has_table_privilege(current_user, %s, 'INSERT'), "
                "has_table_privilege(current_user, %s, 'UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')",
                [table, table, table],
            )
            assert cursor.fetchone() == (True, True, False), table
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.operation"


def test_the_datastores_own_streaming_connections_run_as_the_application_role(settings):
    """SECURITY.md 14.18: the downloads stream through psycopg2 connections of their own (COPY, server-side
    cursors), outside Django's connection hook: they SET ROLE too. A table only its owner may read
    is refused to them; as the login role (a superuser here) they would have read it."""
    import psycopg2
    from psycopg2 import sql

    from catalog import datastore
    from catalog.datastore import export
    from catalog.datastore.columns import Column
    from tests.audit.conftest import as_login_role

    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA IF NOT EXISTS datastore")  # the portal's, as at run time
    with as_login_role(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE datastore.owner_only (_row integer, a text)")
        cursor.execute("INSERT INTO datastore.owner_only VALUES (1, 'secret')")
        cursor.execute(
            sql.SQL("REVOKE ALL ON datastore.owner_only FROM {}")
            .format(sql.Identifier(settings.AUDIT_APP_DB_ROLE))
            .as_string(cursor.cursor)
        )
    try:
        columns = [Column(key="a", name="甲", type="string")]
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            b"".join(datastore.stream_csv("owner_only", columns))
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            b"".join(export.stream_json("owner_only", columns))
    finally:
        with as_login_role(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE datastore.owner_only")


def test_datastore_tables_a_login_role_connection_made_become_the_application_roles(settings):
    """SECURITY.md 14.18: a database that ran without the role has datastore tables of the login role, which
    the portal, now the application's role, could not replace or drop; migrate hands them over."""
    from audit.services.dbroles import sync_privileges
    from tests.audit.conftest import as_login_role

    with as_login_role(), connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS datastore CASCADE")
        cursor.execute("CREATE SCHEMA datastore")
        cursor.execute("CREATE TABLE datastore.r1_v1 (_row serial PRIMARY KEY, a text)")
    with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE datastore.r1_v1")
    assert sync_privileges()  # what runs after every migrate
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'datastore'")
        assert cursor.fetchone()[0] == settings.AUDIT_APP_DB_ROLE
        cursor.execute("DROP TABLE datastore.r1_v1")  # the load's removal, as the portal does it
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'audit_auditentry'")
        assert cursor.fetchone()[0] != settings.AUDIT_APP_DB_ROLE  # the audit's tables stay the owner's
