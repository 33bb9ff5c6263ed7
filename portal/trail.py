"""The base's way to leave an audit entry without importing the audit app.

The base (`portal/`) sits below every app (pyproject.toml, import-linter), so its few services that are
audited (the working-day calendar, the deadline shifts it causes) record through this module; the
audit app declares its `record` and `batched` in its plugin (audit/plugin.py, `audit_trail`). A recording
asked for before that is a configuration error, never a silently missing entry (Lhasa art. 39:
every operation of the bureau admin is logged).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from portal import plugins


@plugins.derived
def writers() -> tuple[Callable[..., Any], Callable[[], AbstractContextManager]] | None:
    """(record, batched) of the installed app that keeps the trail, None without one: record(action, *,
    actor, target, outcome, detail, request) and batched(), a context manager that writes the block's
    entries at once."""
    return next((plugin.audit_trail for plugin in plugins.plugins() if plugin.audit_trail), None)


def _require() -> tuple[Callable[..., Any], Callable[[], AbstractContextManager]]:
    found = writers()
    if found is None:
        raise ImproperlyConfigured("portal.trail: no audit trail registered (is the audit app installed?)")
    return found


def record(action: str, **kwargs: Any) -> Any:
    """Record one audited operation (the audit app's record(); same arguments)."""
    recorder, _ = _require()
    return recorder(action, **kwargs)


@contextlib.contextmanager
def batched():
    """Collect the block's records and write them together (the audit app's batched())."""
    _, batcher = _require()
    with batcher():
        yield


@plugins.derived
def object_urls() -> dict[str, str]:
    """{object_type: url name} every app declares for its audited objects (Plugin.audit_object_urls):
    the audit app is a low layer and knows no other app's pages."""
    merged: dict[str, str] = {}
    for plugin in plugins.plugins():
        merged.update(plugin.audit_object_urls)
    return merged


def object_url(object_type: str, object_id: str) -> str | None:
    """The page of an entry's object, None where no app declared one or the id does not fit it."""
    name = object_urls().get(object_type)
    if not name or not object_id:
        return None
    try:
        return reverse(name, args=[object_id])
    except NoReverseMatch:
        return None
