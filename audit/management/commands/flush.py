"""Django's flush, able to empty the append-only audit tables.

The audit tables refuse TRUNCATE (trigger and privileges, A3). Emptying the whole database is a
development and test operation (pytest-django's transactional tests flush after each test), run by
the login role, which owns the tables: this command switches the session to it and sets
audit.maintenance for the duration, then puts the session back as it was.
"""
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from audit.services import dbroles


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute("SET audit.maintenance = 'on'")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET audit.maintenance")
            dbroles.use_app_role(connection)
