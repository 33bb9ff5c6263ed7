"""The base's way to leave an audit entry without importing the audit app.

The base (`portal/`) sits below every app (pyproject.toml, import-linter), so its few services that are
audited (the working-day calendar, the deadline shifts it causes) record through this module; the
audit app registers its `record` and `batched` here when it starts (audit/apps.py). A recording
asked for before that is a configuration error, never a silently missing entry (Lhasa art. 39:
every operation of the bureau admin is logged).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ContextManager

from django.core.exceptions import ImproperlyConfigured

_recorder: Callable[..., Any] | None = None
_batcher: Callable[[], ContextManager] | None = None


def register(*, record: Callable[..., Any], batched: Callable[[], ContextManager]) -> None:
    """Set the audit trail's writer: record(action, *, actor, target, outcome, detail, request) and
    batched(), a context manager that writes the block's entries at once."""
    global _recorder, _batcher
    _recorder, _batcher = record, batched


def _require() -> tuple[Callable[..., Any], Callable[[], ContextManager]]:
    if _recorder is None or _batcher is None:
        raise ImproperlyConfigured("portal.trail: no audit trail registered (is the audit app installed?)")
    return _recorder, _batcher


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
