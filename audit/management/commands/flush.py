"""Django's flush, able to empty the append-only audit tables — in tests and development only.

The audit tables refuse TRUNCATE (trigger and privileges, A3). Emptying the whole database is a
test operation (pytest-django's transactional tests flush after each test): on a test database, or
with DEBUG on, this command switches the session to the login role (the tables' owner) and sets
audit.maintenance for the duration, then puts the session back as it was. Anywhere else the
trigger refuses, and the only way entries leave stays the retention job.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from audit.services import dbroles


def may_empty_the_log(settings_dict: dict) -> bool:
    name = settings_dict.get("NAME") or ""
    test_name = (settings_dict.get("TEST") or {}).get("NAME")
    return bool(settings.DEBUG or name.startswith("test_") or (test_name and name == test_name))


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if not may_empty_the_log(connection.settings_dict):
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute("SET audit.maintenance = 'on'")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET audit.maintenance")
            dbroles.use_app_role(connection)
