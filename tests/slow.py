"""The `slow` marker, given by rule as well as by hand (pyproject.toml loads this plugin: `-p tests.slow`).

`pytest -m "not slow"` is the developer's quick loop; CI runs everything. Besides the tests marked
`pytest.mark.slow` in their module (those that start gunicorn and Celery workers or restore a backup:
tests/security/test_races.py, test_faults.py, test_scale_out.py, test_backup_restore.py), a test is slow when
- it drives the browser (`browser` marker: chromium through Playwright), or
- it declares a timeout above the suite's default (`pytest.mark.timeout(N)`: the walks over every
  route and every role, the API fuzzing), i.e. it says itself that it takes minutes.
"""

from __future__ import annotations

import pytest


def _default_timeout(config: pytest.Config) -> float:
    try:
        return float(config.getini("timeout") or 0)
    except (ValueError, TypeError):
        return 0.0


def _declared_timeout(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is None:
        return 0.0
    value = marker.args[0] if marker.args else marker.kwargs.get("timeout", 0)
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def is_slow(item: pytest.Item, default_timeout: float) -> bool:
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return True
    return default_timeout > 0 and _declared_timeout(item) > default_timeout


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: before `-m` deselects, so that `-m "not slow"` sees the marks given here
    default_timeout = _default_timeout(config)
    for item in items:
        if not item.get_closest_marker("slow") and is_slow(item, default_timeout):
            item.add_marker(pytest.mark.slow)
