"""What else ends when a catalog entry is withdrawn (docs/features.md C2, S5, O6).

Hechi (second document) art. 29: stopping a share needs a reason; Lhasa art. 37: open data that
is withdrawn is announced. A withdrawn entry must leave nothing running on it — the open dataset
published from it, the grants on it, the applications and coordination requests waiting for it.
Those belong to other apps, which the catalog does not import: each registers a handler here
(in its AppConfig.ready()), and entry_withdraw runs them all inside its own transaction, so an
error in any of them rolls back the whole withdrawal.

A handler is called as handler(actor=..., entry=..., reason=...): `actor` is the user who
withdrew the entry (already allowed to by the catalog's check — a handler must not ask for
permissions of its own), `entry` the locked, withdrawn entry, `reason` the withdrawal's reason.
"""
from __future__ import annotations

from collections.abc import Callable

_HANDLERS: dict[str, Callable] = {}


def register(name: str, handler: Callable) -> None:
    """Add (or replace: ready() may run twice) the handler called `name`."""
    _HANDLERS[name] = handler


def run(*, actor, entry, reason: str) -> None:
    """Call every registered handler, in the order they were registered."""
    for handler in list(_HANDLERS.values()):
        handler(actor=actor, entry=entry, reason=reason)
