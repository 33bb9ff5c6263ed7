"""Who signs a new head of the hash chain (used by the seal, chain.py, and the daily export, heads.py).

A higher app (protection.signatures) declares its signers and checks in its plugin (portal.plugins,
`audit_head_signers`, `audit_head_checks`); audit imports nothing above it.
"""

from __future__ import annotations

import datetime as dt

from portal import plugins


def signers() -> tuple:
    """Each is called as signer(number=, block_hash=, day=) for every new head (each seal run's last
    block, each daily export), inside the transaction that made it, so that no head exists that the
    platform's key will not sign (seed 004 抗抵赖: this makes the chain keyed)."""
    return plugins.contributions("audit_head_signers")


def signal_head(*, number: int, block_hash: str, day: dt.date | None = None) -> None:
    for signer in signers():
        signer(number=number, block_hash=block_hash, day=day)


def checks() -> tuple:
    """Checks of the chain against the signed heads: each returns the problems it finds (texts for
    verify_audit's report), an empty list when the chain matches them."""
    return plugins.contributions("audit_head_checks")
