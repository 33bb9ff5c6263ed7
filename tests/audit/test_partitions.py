"""Storage (docs/features.md A2): the entry table is range-partitioned by month; partitions are created ahead by
a periodic job; queries by time, department, actor, action and object prune to the months asked for
and use an index."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audit import tasks
from audit.models import AuditEntry
from audit.services.partitions import add_months, list_partitions, month_start, partition_name
from tests.audit.conftest import as_app_role, make_entry

pytestmark = pytest.mark.django_db


def _months():
    return [p.month for p in list_partitions()]


def test_partitions_cover_last_month_to_three_months_ahead():
    current = month_start(timezone.localdate())
    assert {add_months(current, n) for n in range(-1, 4)} <= set(_months())


def test_the_periodic_job_creates_partitions_ahead_idempotently(settings):
    settings.AUDIT_PARTITIONS_AHEAD_MONTHS = 6
    names = tasks.create_partitions()
    current = month_start(timezone.localdate())
    assert partition_name(add_months(current, 6)) in names
    assert add_months(current, 6) in _months()
    assert tasks.create_partitions() == names


def test_a_new_partition_is_protected_like_the_others(settings):
    month = add_months(month_start(timezone.localdate()), 9)
    from audit.services.partitions import create_partition

    name = create_partition(month=month)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY 1", [name]
        )
        assert [r[0] for r in cursor.fetchall()] == ["audit_forbid_change", "audit_forbid_truncate", "audit_set_txid"]
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT') OR has_table_privilege(%s, %s, 'TRUNCATE')",
            [settings.AUDIT_APP_DB_ROLE, name, settings.AUDIT_APP_DB_ROLE, name],
        )
        assert cursor.fetchone()[0] is False


def test_bounds_are_local_midnight_of_the_first_day():
    partition = list_partitions()[0]
    local = timezone.localtime(partition.range_from)
    assert (local.day, local.hour, local.minute) == (1, 0, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = %s", [partition.name])
        bound = cursor.fetchone()[0]
    assert partition.range_from.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") in bound


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask what the planner can do
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return json.dumps(cursor.fetchone()[0])


def test_queries_by_time_and_department_actor_action_object_prune_partitions_and_use_indexes(officer):
    now = timezone.now()
    make_entry(actor=officer)
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = partition_name(month_start(timezone.localdate()))
    base = AuditEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=now + timezone.timedelta(minutes=1))
    for queryset, _index in [
        (base.filter(department_id=officer.department_id), "audit_auditentry_p"),
        (base.filter(actor_id=officer.pk), "audit_auditentry_p"),
        (base.filter(action__startswith="catalog."), "audit_auditentry_p"),
        (base.filter(object_type="portal.department", object_id="1"), "audit_auditentry_p"),
        (base.order_by("-occurred_at", "-id")[:50], "audit_auditentry_p"),
    ]:
        plan = _plan(queryset)
        scanned = {p for p in (p.name for p in list_partitions()) if f'"{p}"' in plan}
        assert scanned == {this_month}, (queryset.query, scanned)
        assert "Index" in plan


def test_the_application_role_inserts_into_the_partitioned_parent(officer):
    from audit.services import record

    with as_app_role():
        entry = record("test.operation", actor=officer)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
