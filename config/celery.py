"""The Celery application. Periodic jobs are rows of django-celery-beat's tables, swept by one beat."""

import importlib
import importlib.machinery
import importlib.util
import os

from celery import Celery
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each app lists its periodic jobs in <app>/schedule.py as BEAT_SCHEDULE (plain data, no Django
# import); django-celery-beat's DatabaseScheduler copies them into its tables when beat starts. They
# are found over INSTALLED_APPS, never a list of their own: an installed app is never left out.
SCHEDULE_MODULE = "schedule"


def _app_package(entry: str) -> str:
    """The package of an INSTALLED_APPS entry: the entry itself, or an AppConfig's `name` (its
    apps.py is importable before the app registry, as Django requires)."""
    try:
        if importlib.util.find_spec(entry) is not None:
            return entry
    except ModuleNotFoundError:  # a dotted path to a class: its parent is a module, not a package
        pass
    return import_string(entry).name


def _schedule_spec(package: str):
    """<package>/schedule.py's spec, found without importing the package (a third-party app's
    __init__ may need the registry)."""
    spec = importlib.util.find_spec(package)
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return None
    return importlib.machinery.PathFinder.find_spec(f"{package}.{SCHEDULE_MODULE}", list(locations))


def schedule_modules(installed_apps=None):
    """The schedule modules of the installed apps, in INSTALLED_APPS order (an app without one has no
    periodic jobs). Needs the settings only, not the app registry."""
    if installed_apps is None:
        from django.conf import settings

        installed_apps = settings.INSTALLED_APPS
    for entry in installed_apps:
        package = _app_package(entry)
        if _schedule_spec(package) is not None:
            yield importlib.import_module(f"{package}.{SCHEDULE_MODULE}")


def beat_schedule(installed_apps=None) -> dict:
    schedule = {}
    for module in schedule_modules(installed_apps):
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


app.conf.beat_schedule = beat_schedule()
