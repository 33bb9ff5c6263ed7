"""Periodic jobs that the role they watch may not switch off (SECURITY.md 14.20; Lhasa art. 39, 41).

The audit's own jobs (seal, verification, head export, retention, partitions) are rows of
django-celery-beat's PeriodicTask table like every other job, and the bureau admin, whom the audit
watches, may change periodic tasks in the admin site. An app marks such jobs in its schedule module
(`PROTECTED`, names of its BEAT_SCHEDULE); then
- the admin site shows them read-only, never deletes them and leaves them out of its bulk
  enable / disable / toggle actions (config/admin_beat.py), and
- the beat scheduler re-asserts them from the registry: enabled, with the registry's task,
  schedule and arguments, no start time, expiry or one-off flag. django-celery-beat copies the
  registry into its table only when beat starts and leaves `enabled` as it finds it; RegistryScheduler
  checks at every refresh of its schedule (each change of the table, and every 5 minutes) and
  records each restoration in the audit log.
"""

from __future__ import annotations

import logging

from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

# What a protected row must look like besides its registry fields.
FIXED_FIELDS = {"enabled": True, "one_off": False, "start_time": None, "expires": None}


def protected_schedule() -> dict[str, dict]:
    """{name: registry entry} of every job an app marked PROTECTED in its schedule module."""
    from config.celery import schedule_modules

    found = {}
    for module in schedule_modules():
        schedule = getattr(module, "BEAT_SCHEDULE", {})
        found.update({name: schedule[name] for name in getattr(module, "PROTECTED", ()) if name in schedule})
    return found


def protected_names() -> frozenset[str]:
    return frozenset(protected_schedule())


def _expected(entry: dict) -> dict:
    """The row's fields for a registry entry, without writing anything (ModelEntry's conversion saves
    the schedule row, which would count as a change of the table at every check)."""
    schedule = entry["schedule"]
    fields = {model_field: None for _type, _model, model_field in ModelEntry.model_schedules}
    from celery import schedules

    schedule = schedules.maybe_schedule(schedule)
    for schedule_type, model_type, model_field in ModelEntry.model_schedules:
        if isinstance(schedule, schedule_type):
            fields[model_field] = model_type.from_schedule(schedule)  # an unsaved row if none matches
            break
    fields.update(
        task=entry["task"],
        args=dumps(entry.get("args") or []),
        kwargs=dumps(entry.get("kwargs") or {}),
        **ModelEntry._unpack_options(**(entry.get("options") or {})),
        **FIXED_FIELDS,
    )
    return fields


def _drift(row, expected: dict) -> list[str]:
    drifted = []
    for name, value in expected.items():
        current = getattr(row, f"{name}_id" if hasattr(row, f"{name}_id") else name)
        wanted = value.pk if hasattr(value, "pk") else value
        if current != wanted or (hasattr(value, "pk") and value.pk is None):
            drifted.append(name)
    return drifted


def reassert_protected(app=None) -> list[str]:
    """Put every protected job back as the registry says; returns the names restored (audited)."""
    from django.db import transaction
    from django_celery_beat.models import PeriodicTask

    from audit.services import record

    restored = []
    for name, entry in protected_schedule().items():
        row = PeriodicTask.objects.filter(name=name).select_related("interval", "crontab", "solar", "clocked").first()
        drifted = ["missing"] if row is None else _drift(row, _expected(entry))
        if not drifted:
            continue
        with transaction.atomic():
            ModelEntry.from_entry(name, app=app, **entry, **FIXED_FIELDS)
            record(
                "beat.protected_restored",
                target=("periodic_task", name, name),
                detail={"task": entry["task"], "fields": drifted},
            )
        logger.warning("periodic task %s restored from the registry (%s)", name, ", ".join(drifted))
        restored.append(name)
    return restored


class RegistryScheduler(DatabaseScheduler):
    """django-celery-beat's database scheduler, re-asserting the protected jobs at every refresh."""

    def setup_schedule(self):
        super().setup_schedule()
        self._reassert()

    def all_as_schedule(self):
        self._reassert()
        return super().all_as_schedule()

    def _reassert(self):
        try:
            reassert_protected(app=self.app)
        except Exception:  # a database hiccup must not stop beat; the next refresh retries
            logger.exception("could not re-assert the protected periodic tasks")
