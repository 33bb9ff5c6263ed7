"""Connection and migration hooks of the application's database role (see audit.services.dbroles)."""

from django.apps import apps
from django.db import connections
from django.db.backends.signals import connection_created

from audit.services import dbroles


def on_connection_created(sender, connection, **kwargs):
    # Django's own "no database" connections (creating the test database) keep the login role.
    if connection.alias in connections.settings and connection.vendor == "postgresql":
        dbroles.use_app_role(connection)


def before_migrate(sender, using="default", **kwargs):
    # DDL runs as the login role (the owner of the tables); pre_migrate comes once per app: idempotent.
    dbroles.leave_app_role(connections[using])


def after_migrate(sender, using="default", **kwargs):
    if sender is not list(apps.get_app_configs())[-1]:
        return
    dbroles.sync_privileges(using)
    dbroles.use_app_role(connections[using])


def connect():
    from django.db.models.signals import post_migrate, pre_migrate

    connection_created.connect(on_connection_created, dispatch_uid="audit_app_role")
    pre_migrate.connect(before_migrate, dispatch_uid="audit_before_migrate")
    post_migrate.connect(after_migrate, dispatch_uid="audit_after_migrate")
