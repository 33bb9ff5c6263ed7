"""What else ends when a catalog entry is withdrawn (docs/features.md C2, S5, O6).

Hechi (second document) art. 29: stopping a share needs a reason; Lhasa art. 37: open data that
is withdrawn is announced. A withdrawn entry must leave nothing running on it — the open dataset
published from it, the grants on it, the applications and coordination requests waiting for it.
Those belong to other apps, which the catalog does not import: each lists its handlers in its plugin
(portal.plugins, `withdrawal_handlers`), and entry_withdraw runs them all inside its own
transaction, so an error in any of them rolls back the whole withdrawal.

A handler is called as handler(actor=..., entry=..., reason=...): `actor` is the user who
withdrew the entry (already allowed to by the catalog's check — a handler must not ask for
permissions of its own), `entry` the locked, withdrawn entry, `reason` the withdrawal's reason.
"""

from __future__ import annotations

from portal import plugins


def handlers() -> tuple:
    """Every app's handlers, in INSTALLED_APPS order (sharing before openness), each app's in the
    order its plugin lists them."""
    return plugins.contributions("withdrawal_handlers")


def run(*, actor, entry, reason: str) -> None:
    for handler in handlers():
        handler(actor=actor, entry=entry, reason=reason)
