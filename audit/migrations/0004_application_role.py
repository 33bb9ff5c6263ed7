"""The application's database role (settings.AUDIT_APP_DB_ROLE, NOLOGIN): it may read and append
to the audit tables and nothing more; everything else it may use fully. Roles are cluster-wide,
so creating it is idempotent and tolerates another database creating it at the same moment.
The grants themselves are (re)applied after every migrate by audit.services.dbroles."""

import re

from django.conf import settings
from django.db import migrations

CREATE_ROLE = r"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
        IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            CREATE ROLE "{role}" NOLOGIN;
        ELSE
            RAISE WARNING 'role {role} is missing and % may not create it: create it as NOLOGIN', current_user;
        END IF;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created by another database's migration at the same moment
END $$;
"""


def create_role(apps, schema_editor):
    role = settings.AUDIT_APP_DB_ROLE
    if not role:
        return
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"AUDIT_APP_DB_ROLE must be a plain lower-case identifier, not {role!r}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE_ROLE.format(role=role))  # no params: % is left alone


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_tables"),
    ]

    operations = [
        migrations.RunPython(create_role, migrations.RunPython.noop),
    ]
