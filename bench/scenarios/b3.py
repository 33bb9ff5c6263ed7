"""B3: grant query API (查阅, 50 rows/page, token, audit on). Not written yet: it needs the sharing app, which is not committed yet."""
from __future__ import annotations

import importlib.util

TITLE = "grant query API (查阅, 50 rows/page, token, audit on)"


def missing() -> str | None:
    if importlib.util.find_spec("sharing.services") is None:
        return "app missing (sharing)"
    return "scenario not written yet (the sharing app was not committed when it was written)"
