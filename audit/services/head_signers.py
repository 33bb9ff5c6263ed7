"""Who signs a new head of the hash chain (used by the seal, chain.py, and the daily export, heads.py)."""
from __future__ import annotations

import datetime as dt

# Signers of chain heads, registered by a higher app (protection.signatures, from its AppConfig):
# each is called as signer(number=, block_hash=, day=) for every new head (each seal run's last
# block, each daily export), inside the transaction that made it, so that no head exists that the
# platform's key will not sign (seed 004 抗抵赖: this makes the chain keyed). Audit imports nothing above it.
HEAD_SIGNERS: list = []


def register_head_signer(signer) -> None:
    if signer not in HEAD_SIGNERS:
        HEAD_SIGNERS.append(signer)


def signal_head(*, number: int, block_hash: str, day: dt.date | None = None) -> None:
    for signer in HEAD_SIGNERS:
        signer(number=number, block_hash=block_hash, day=day)


# Checks of the chain against the signed heads, registered with the signer: each returns the
# problems it finds (texts for verify_audit's report), an empty list when the chain matches them.
HEAD_CHECKS: list = []


def register_head_check(check) -> None:
    if check not in HEAD_CHECKS:
        HEAD_CHECKS.append(check)
