"""Every route of the portal, found through the URL resolver (pages, API, admin site), and the
arguments each one needs, from a registry of factories.

Routes are walked pattern by pattern (unnamed ones and same-named ones in other includes too); the
path is built from the pattern's own regular expression. The DRF format-suffix twins
(".json") are skipped: same view. A route with parameters takes them from ROUTE_FACTORIES here or
from ROUTE_FACTORIES in tests/<app>/route_factories.py (so an app adds its own without touching
this file): key = the route's name ("namespace:name") or, for an unnamed route, its full pattern.
A factory gets the World and returns the keyword arguments of the URL.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Route:
    key: str  # name, or the pattern of an unnamed route
    pattern: str  # the full pattern, for messages
    regex: str  # the full regular expression
    params: tuple[str, ...]

    def path(self, kwargs: dict) -> str:
        for fmt, params in normalize(self.regex):
            if set(params) == set(kwargs):
                return "/" + fmt % {k: str(v) for k, v in kwargs.items()}
        raise ValueError(f"{self.key}: arguments {sorted(kwargs)} do not fit {self.pattern}")


def _strip(regex: str) -> str:
    regex = regex[1:] if regex.startswith("^") else regex
    for end in (r"\Z", "$"):
        if regex.endswith(end):
            regex = regex[: -len(end)]
    return regex


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver, regex_prefix, pattern_prefix, namespace):
        for entry in resolver.url_patterns:
            regex = regex_prefix + _strip(entry.pattern.regex.pattern)
            pattern = pattern_prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                walk(entry, regex, pattern, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(entry, URLPattern):
                params = tuple(re.compile(regex).groupindex)
                if "format" in params:
                    continue  # DRF's ".json" twin of a route already walked
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                routes.append(Route(key=name or pattern, pattern=pattern, regex=regex, params=params))

    walk(get_resolver(), "", "", None)
    return routes


def _admin_objects(world):
    """admin:<app>_<model>_change|delete|history and the unnamed admin/<app>/<model>/<id>/ redirects."""
    from django.contrib import admin

    factories: dict[str, Callable] = {}
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        make = MODEL_FACTORIES.get(model._meta.label)
        if make is None:
            continue
        for suffix in ("change", "delete", "history"):
            factories[f"admin:{label}_{suffix}"] = lambda w, make=make: {"object_id": make(w).pk}
        factories[f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"] = lambda w, make=make: {
            "object_id": make(w).pk
        }
    return factories


def _department(w):
    return w.officer.department


def _beat_task(w):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    return PeriodicTask.objects.get_or_create(name="walker", defaults={"task": "celery.ping", "interval": every})[0]


def _model(model_label, **fields):
    def make(w):
        return apps.get_model(model_label).objects.get_or_create(**fields)[0]

    return make


# Objects the admin routes act on, by model label. A model added to the admin site without one
# makes the coverage test fail, naming its routes.
MODEL_FACTORIES: dict[str, Callable] = {
    "portal.Department": _department,
    "portal.User": lambda w: w.staff,
    "portal.CalendarDay": _model(
        "portal.CalendarDay", date="2026-10-01", defaults={"kind": "holiday", "name": "国庆节"}
    ),
    "portal.CalendarYear": _model("portal.CalendarYear", year=2026),
    "portal.MissingCalendarYear": _model("portal.MissingCalendarYear", year=2031),
    "axes.AccessAttempt": _model(
        "axes.AccessAttempt",
        username="walker",
        defaults={"ip_address": "10.0.0.1", "user_agent": "walker", "failures_since_start": 1},
    ),
    "axes.AccessLog": _model(
        "axes.AccessLog", username="walker", defaults={"ip_address": "10.0.0.1", "user_agent": "walker"}
    ),
    "axes.AccessFailureLog": _model(
        "axes.AccessFailureLog",
        username="walker",
        defaults={"ip_address": "10.0.0.1", "user_agent": "walker", "locked_out": False},
    ),
    "django_celery_beat.PeriodicTask": _beat_task,
    "django_celery_beat.IntervalSchedule": _model("django_celery_beat.IntervalSchedule", every=10, period="minutes"),
    "django_celery_beat.CrontabSchedule": _model("django_celery_beat.CrontabSchedule", minute="5"),
    "django_celery_beat.SolarSchedule": _model(
        "django_celery_beat.SolarSchedule", event="sunrise", latitude=29.65, longitude=91.1
    ),
    "django_celery_beat.ClockedSchedule": _model(
        "django_celery_beat.ClockedSchedule", clocked_time="2026-12-01T00:00:00Z"
    ),
}


def _catalog_entry(w):
    from tests.catalog.factories import draft

    return draft(w.officer)


ROUTE_FACTORIES: dict[str, Callable] = {
    # portal
    "notification_read": lambda w: {"pk": w.notification.pk},
    "notification-read": lambda w: {"pk": w.notification.pk},
    "department-detail": lambda w: {"pk": w.officer.department_id},
    "calendar-day-detail": lambda w: {"date": "2026-10-01"},
    "calendar_missing_dismiss": lambda w: {"year": 2031},
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "no-such-token"},
    # admin site
    "admin:app_list": lambda w: {"app_label": "portal"},
    "admin:view_on_site": lambda w: {
        "content_type_id": w.content_type("portal.department").pk,
        "object_id": w.officer.department_id,
    },
    "admin:portal_user_password_change": lambda w: {"id": w.staff.pk},
    "admin:auth_user_password_change": lambda w: {"id": w.staff.pk},
    "admin/(?P<url>.*)$": lambda w: {"url": "nowhere/"},
    # audit
    "audit:entry": lambda w: {"pk": w.entry.pk},
    "audit-entry-detail": lambda w: {"pk": w.entry.pk},
    # catalog (real objects where they are cheap to build; otherwise an id that does not exist,
    # which still must leave a trace when someone tries to change it)
    "catalog:detail": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:edit": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:submit": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:approve": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:return": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:revise": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:withdraw": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:version": lambda w: {"pk": _catalog_entry(w).pk, "number": 1},
    "catalog:compare": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:upload": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog:load": lambda w: {"pk": 987654321},
    "catalog:load_remove": lambda w: {"pk": 987654321},
    "catalog:duty_confirm": lambda w: {"pk": 987654321},
    "catalog-entry-detail": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-approve": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-loads": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-return-": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-revise": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-rows": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-submit": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-versions": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-entry-withdraw": lambda w: {"pk": _catalog_entry(w).pk},
    "catalog-load-detail": lambda w: {"pk": 987654321},
    "catalog-load-remove": lambda w: {"pk": 987654321},
    "catalog-duty-confirm": lambda w: {"pk": 987654321},
}


def factories() -> dict[str, Callable]:
    """This registry, the admin objects, and each app's tests/<app>/route_factories.py."""
    found = dict(ROUTE_FACTORIES)
    found.update(_admin_objects(None))
    for config in apps.get_app_configs():
        module_name = f"tests.{config.label}.route_factories"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in (module_name, f"tests.{config.label}"):
                raise
            continue
        found.update(getattr(module, "ROUTE_FACTORIES", {}))
    return found
