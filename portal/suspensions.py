"""Containment holds (暂停措施) that the lower apps ask about before they serve (Tongren art. 36:
stop the harm spreading).

The incident register (secops.incidents) decides what is suspended; it sits above sharing and
openness, which may not import it. So they ask here, and the register registers its check from its
plugin's connect(). Each check answers `check(kind, **target) -> message | None`; the first
message is the refusal the caller shows. Kinds and their targets:

    GRANT             grant_id            a sharing grant may not be used
    DEPARTMENT_ENTRY  department_id, entry_id   a department may not use grants on a resource
    API_KEY           api_key_id          an open-data API key does not authenticate
    DATASET_DOWNLOADS dataset_id          an open dataset may not be downloaded
"""

from __future__ import annotations

from collections.abc import Callable

GRANT = "grant"
DEPARTMENT_ENTRY = "dept_entry"
API_KEY = "api_key"
DATASET_DOWNLOADS = "downloads"

_checks: list[Callable[..., str | None]] = []


def register(check: Callable[..., str | None]) -> None:
    """Add a check (a second registration of the same function is ignored)."""
    if check not in _checks:
        _checks.append(check)


def suspended(kind: str, **target) -> str | None:
    """Why `target` is suspended now (a Chinese message), or None when nothing holds it."""
    for check in _checks:
        message = check(kind, **target)
        if message:
            return message
    return None
