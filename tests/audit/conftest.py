"""The audit tests' world: entries at chosen times, the application's role, a superuser who tampers."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

from audit.models import AuditBlock, AuditEntry
from audit.services.canonical import ENTRY_DIGEST_SQL, GENESIS_HASH, block_hash
from audit.services.partitions import create_partition, month_start


@pytest.fixture(autouse=True)
def _heads_in_tmp(settings, tmp_path):
    """Each test keeps its own head file (never the developer's .data)."""
    settings.AUDIT_HEAD_DIR = tmp_path / "audit-heads"


def make_entry(
    *,
    at: dt.datetime | None = None,
    action="test.operation",
    actor=None,
    department=None,
    owner=None,
    outcome="success",
    **fields,
) -> AuditEntry:
    """An entry at any time (its month's partition is created if needed), as record() would write it."""
    at = at or timezone.now()
    create_partition(month=month_start(timezone.localtime(at).date()))
    entry = AuditEntry(occurred_at=at, action=action, outcome=outcome, owner_department_id=owner, **fields)
    if actor is not None:
        entry.actor_id, entry.actor_username, entry.actor_name = actor.pk, actor.username, actor.real_name
        department = department or actor.department
        entry.role = actor.primary_role.value if actor.primary_role else ""
    if department is not None:
        entry.department_id, entry.department_name = department.pk, department.name
    entry.save(force_insert=True)
    return entry


@contextmanager
def as_app_role():
    """The application's database role on the test's connection (SET ROLE, as AUDIT_USE_APP_DB_ROLE does)."""
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SET ROLE {}").format(sql.Identifier(settings.AUDIT_APP_DB_ROLE)).as_string(cursor.cursor)
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@contextmanager
def as_login_role():
    """The login role (the tables' owner, a superuser in the tests) on the test's connection.

    SECURITY.md 14.18: the portal's connections run as the application's role in every settings module,
    the tests' too; what only the owner or a superuser can do (a tamperer, the DDL) steps out of it."""
    from audit.services import dbroles

    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        dbroles.use_app_role(connection)


@contextmanager
def superuser_without_triggers():
    """A superuser who switches the triggers off (session_replication_role) to tamper with the log."""
    with as_login_role(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0], "the tests connect as a superuser"
        cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("RESET session_replication_role")


def rewrite_whole_chain(cursor):
    """What a careful superuser does: re-compute every digest and block hash after the forgery."""
    prev = GENESIS_HASH
    for block in AuditBlock.objects.order_by("number"):
        digests = b""
        for entry_id in block.entry_ids:
            cursor.execute(f"SELECT {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE id = %s", [entry_id])
            digests += bytes(cursor.fetchone()[0])
        new_hash = block_hash(
            prev_hash=prev,
            number=block.number,
            month=block.month,
            txid_lo=block.txid_lo,
            txid_hi=block.txid_hi,
            entry_ids=list(block.entry_ids),
            digests=digests,
        )
        cursor.execute(
            "UPDATE audit_auditblock SET entry_digests = %s, prev_hash = %s, block_hash = %s WHERE number = %s",
            [digests, prev, new_hash, block.number],
        )
        prev = new_hash
