"""What a failed verification found, entry by entry: the digest sealed in the block against the one
the row gives now (issue 19, part 8; Lhasa art. 43). Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from audit.models import AuditBlock, AuditVerification
from audit.services.canonical import ENTRY_DIGEST_SQL, split_digests

SHOWN = 200  # entries of each kind opened on the page; the counts and the command name them all


@dataclass
class Finding:
    kind: str  # altered | removed | inserted
    entry_id: int
    block_number: int | None
    expected: str  # the digest sealed in the block ("" when no block holds the entry)
    found: str  # the digest of the row now ("" when the row is gone)


def _sealed(entry_ids: list[int]) -> dict[int, tuple[int, str]]:
    """{entry id: (block number, sealed digest)} for the blocks that hold these entries."""
    out: dict[int, tuple[int, str]] = {}
    if not entry_ids:
        return out
    for block in AuditBlock.objects.filter(entry_ids__overlap=entry_ids).only("number", "entry_ids", "entry_digests"):
        wanted = set(entry_ids)
        for entry_id, digest in zip(block.entry_ids, split_digests(bytes(block.entry_digests))):
            if entry_id in wanted:
                out[entry_id] = (block.number, digest.hex())
    return out


def _current(entry_ids: list[int]) -> dict[int, str]:
    if not entry_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE id = ANY(%s)", [entry_ids])
        return {row[0]: bytes(row[1]).hex() for row in cursor.fetchall()}


def findings(verification: AuditVerification) -> list[Finding]:
    """The altered, removed and inserted entries of a run (at most SHOWN of each), with both digests."""
    kinds = {
        "altered": list(verification.altered_ids)[:SHOWN],
        "removed": list(verification.removed_ids)[:SHOWN],
        "inserted": list(verification.inserted_ids)[:SHOWN],
    }
    every = [entry_id for ids in kinds.values() for entry_id in ids]
    sealed, current = _sealed(every), _current(every)
    out = []
    for kind, ids in kinds.items():
        for entry_id in ids:
            block_number, expected = sealed.get(entry_id, (None, ""))
            out.append(Finding(kind, entry_id, block_number, expected, current.get(entry_id, "")))
    return out
