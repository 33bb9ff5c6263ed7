"""The Celery application. Periodic jobs are rows of django-celery-beat's tables, swept by one beat."""
import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each app lists its periodic jobs in <app>/schedule.py as BEAT_SCHEDULE (plain data, no Django
# import); django-celery-beat's DatabaseScheduler copies them into its tables when beat starts.
SCHEDULE_MODULES = ["portal.schedule", "audit.schedule", "catalog.schedule", "sharing.schedule", "openness.schedule"]


def schedule_modules():
    """The apps' schedule modules that exist (an app without one has no periodic jobs)."""
    for module_name in SCHEDULE_MODULES:
        try:
            yield importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise


def _beat_schedule() -> dict:
    schedule = {}
    for module in schedule_modules():
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


app.conf.beat_schedule = _beat_schedule()
