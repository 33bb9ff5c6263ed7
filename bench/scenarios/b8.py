"""B8: mixed load, 50 users, 60 s (locust). Not written yet: it needs the sharing app, which is not committed yet."""
from __future__ import annotations

import importlib.util

TITLE = "mixed load, 50 users, 60 s (locust)"


def missing() -> str | None:
    if importlib.util.find_spec("sharing.services") is None:
        return "app missing (sharing)"
    return "scenario not written yet (the sharing app was not committed when it was written)"
