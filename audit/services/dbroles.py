"""The application's database role and the maintenance path (Lhasa art. 39 separation of duties,
art. 41; docs/conventions.md, pitfalls: "Audit: triggers alone do not make a table append-only").

- The application's role (settings.AUDIT_APP_DB_ROLE, NOLOGIN) may SELECT and INSERT on the audit
  tables, nothing else on them; it has no privilege at all on the partitions (rows are reached
  through the parent). It may use every other table fully.
- With settings.AUDIT_USE_APP_DB_ROLE on, each new connection runs `SET ROLE` to it.
- maintenance() switches one transaction back to the login role (the owner) for the DDL of the
  partition and retention jobs; migrate and flush switch for their whole run.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, transaction
from psycopg2 import sql

logger = logging.getLogger(__name__)

# Tables the application may only read and append to.
APPEND_ONLY_TABLES = (
    "audit_auditentry",
    "audit_auditblock",
    "audit_auditverification",
    "audit_auditheadexport",
    "audit_auditpartitiondrop",
)
PARTITION_PREFIX = "audit_auditentry_p"
ENTRY_SEQUENCE = "audit_auditentry_id_seq"
_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def app_role() -> str:
    role = settings.AUDIT_APP_DB_ROLE or ""
    if role and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"AUDIT_APP_DB_ROLE must be a plain lower-case identifier, not {role!r}")
    return role


def role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def use_app_role(connection) -> None:
    """SET ROLE to the application's role on this connection, when the setting says so."""
    role = app_role()
    if not (settings.AUDIT_USE_APP_DB_ROLE and role):
        return
    with connection.cursor() as cursor:
        if role_exists(cursor, role):
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)).as_string(cursor.cursor))
        else:
            logger.warning("AUDIT_USE_APP_DB_ROLE is on but role %s does not exist yet (run migrate)", role)


def use_app_role_raw(raw) -> None:
    """The same SET ROLE on a psycopg2 connection opened outside Django (the datastore's streaming
    reads open their own): SECURITY.md 14.18, every connection of the portal runs as the application's role."""
    role = app_role()
    if not (settings.AUDIT_USE_APP_DB_ROLE and role):
        return
    with raw.cursor() as cursor:
        if role_exists(cursor, role):
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))


def leave_app_role(connection) -> None:
    """Back to the login role for the rest of the session (migrate, flush)."""
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@contextmanager
def maintenance(using: str = "default"):
    """One transaction as the login role (the tables' owner), whatever role the session uses.

    `SET LOCAL` inside a savepoint would outlive the savepoint, so the previous role is restored
    explicitly; on an error the savepoint's rollback restores it.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            previous = cursor.fetchone()[0]
            cursor.execute("SET LOCAL ROLE NONE")
        yield connection
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(previous)).as_string(cursor.cursor))


def _execute(cursor, statement: sql.Composable) -> None:
    cursor.execute(statement.as_string(cursor.cursor))


def sync_privileges(using: str = "default") -> bool:
    """Give the application's role its privileges (idempotent; runs after every migrate).

    Returns False when the role does not exist (nothing to do). Runs as the login role.
    """
    role = app_role()
    if not role:
        return False
    connection = connections[using]
    with maintenance(using), connection.cursor() as cursor:
        if not role_exists(cursor, role):
            return False
        r = sql.Identifier(role)
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SELECT current_database()")
        _execute(
            cursor,
            sql.SQL("GRANT CONNECT, TEMPORARY, CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(cursor.fetchone()[0]), r
            ),
        )
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT IN %s AND nspname NOT LIKE 'pg_temp%%' "
            "AND nspname NOT LIKE 'pg_toast%%' AND has_schema_privilege(current_user, oid, 'USAGE')",
            [_SYSTEM_SCHEMAS],
        )
        for (schema,) in cursor.fetchall():
            s = sql.Identifier(schema)
            _execute(cursor, sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(s, r))
            _execute(
                cursor,
                sql.SQL(
                    "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {} TO {}"
                ).format(s, r),
            )
            _execute(cursor, sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r))
        # Objects the login role creates later (other apps' schemas and tables) are the app's too;
        # new audit partitions lose these grants again in audit_create_partition().
        _execute(cursor, sql.SQL("ALTER DEFAULT PRIVILEGES GRANT USAGE, CREATE ON SCHEMAS TO {}").format(r))
        _execute(
            cursor,
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, "
                "REFERENCES, TRIGGER ON TABLES TO {}"
            ).format(r),
        )
        _execute(cursor, sql.SQL("ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}").format(r))
        # The audit tables: read and append only. Partitions: nothing (reached through the parent).
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
            "AND (c.relname = ANY(%s) OR c.relname LIKE %s)",
            [list(APPEND_ONLY_TABLES), PARTITION_PREFIX + "%"],
        )
        for (table,) in cursor.fetchall():
            t = sql.Identifier(table)
            _execute(cursor, sql.SQL("REVOKE ALL ON {} FROM {}").format(t, r))
            _execute(cursor, sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(t))
            if table in APPEND_ONLY_TABLES:
                _execute(cursor, sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(t, r))
        # The txid base: read by the seal job, changed only by audit_txid_base() (SECURITY DEFINER).
        _execute(cursor, sql.SQL("REVOKE ALL ON audit_audittxidbase FROM {}").format(r))
        _execute(cursor, sql.SQL("GRANT SELECT ON audit_audittxidbase TO {}").format(r))
        _execute(cursor, sql.SQL("REVOKE ALL ON SEQUENCE {} FROM {}").format(sql.Identifier(ENTRY_SEQUENCE), r))
        _execute(cursor, sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.Identifier(ENTRY_SEQUENCE), r))
        if superuser:
            # The seal job's horizon looks at this database's running transactions only.
            _execute(cursor, sql.SQL("GRANT pg_read_all_stats TO {}").format(r))
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        if not cursor.fetchone()[0]:
            try:
                with transaction.atomic(using=using):
                    _execute(cursor, sql.SQL("GRANT {} TO SESSION_USER").format(r))
            except Exception:  # noqa: BLE001 - an operator grants membership instead
                logger.warning("could not make %s a member of %s: grant it so SET ROLE works", "session_user", role)
        _own_run_time_schemas(cursor, role, using)
    return True


def _own_run_time_schemas(cursor, role: str, using: str) -> None:
    """SECURITY.md 14.18: the portal creates, replaces and drops the tables of these schemas at run time
    (the datastore), which takes their ownership: what a connection of the login role created there
    before (a database that ran without the role) becomes the role's. The schema of Django's and the
    audit's tables is never one of them."""
    r = sql.Identifier(role)
    cursor.execute("SELECT current_schema()")
    home = cursor.fetchone()[0]
    for schema in settings.AUDIT_APP_OWNED_SCHEMAS:
        if schema == home or schema in _SYSTEM_SCHEMAS or schema.startswith("pg_"):
            continue
        cursor.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", [schema])
        found = cursor.fetchone()
        if found is None:
            continue  # created by the portal (as the role) when first needed
        cursor.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> %s "
            "AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'a'))",
            [schema, role],
        )
        objects = cursor.fetchall()
        kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
        try:
            with transaction.atomic(using=using):
                if found[0] != role:
                    _execute(cursor, sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(schema), r))
                for name, kind in objects:
                    _execute(
                        cursor,
                        sql.SQL("ALTER {} {} OWNER TO {}").format(
                            sql.SQL(kinds[kind]), sql.Identifier(schema, name), r
                        ),
                    )
        except Exception:  # noqa: BLE001 - an operator transfers them instead
            logger.warning("could not give schema %s and its tables to %s", schema, role)


def current_role(using: str = "default") -> str:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]
