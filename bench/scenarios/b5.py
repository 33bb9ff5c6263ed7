"""B5: deadline sweep, 100k open applications, 1,000 overdue. Not written yet: it needs the sharing app, which is not committed yet."""
from __future__ import annotations

import importlib.util

TITLE = "deadline sweep, 100k open applications, 1,000 overdue"


def missing() -> str | None:
    if importlib.util.find_spec("sharing.services") is None:
        return "app missing (sharing)"
    return "scenario not written yet (the sharing app was not committed when it was written)"
