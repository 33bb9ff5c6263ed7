"""B4: audit overhead on B3 (audit off). Not written yet: it needs the sharing app, which is not committed yet."""
from __future__ import annotations

import importlib.util

TITLE = "audit overhead on B3 (audit off)"


def missing() -> str | None:
    if importlib.util.find_spec("sharing.services") is None:
        return "app missing (sharing)"
    return "scenario not written yet (the sharing app was not committed when it was written)"
