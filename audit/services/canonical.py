"""The canonical content of an entry and the hashes of the chain (seed 004: 完整性检查、抗抵赖).

An entry's digest is SHA-256 over the UTF-8 text of a JSON array of all its columns, built by
PostgreSQL (jsonb prints deterministically, so the seal and every later verification agree):

    [id, txid, occurred_at as UTC "YYYY-MM-DDTHH:MM:SS.ffffff", actor_id, actor_username,
     actor_name, department_id, department_name, role, action, object_type, object_id,
     object_repr, outcome, client_ip, request_id, detail, owner_department_id]

A block's hash is SHA-256 over: the previous block's hash (32 bytes), the header
"number|month|txid_lo|txid_hi|count" (UTF-8), then for each entry its id (8 bytes, big-endian)
and its digest (32 bytes). The first block's previous hash is 64 zeros.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct

GENESIS_HASH = "0" * 64
DIGEST_SIZE = 32

ENTRY_DIGEST_SQL = (
    "sha256(convert_to(jsonb_build_array("
    "id, txid, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
    "actor_id, actor_username, actor_name, department_id, department_name, role, action, "
    "object_type, object_id, object_repr, outcome, client_ip::text, request_id, detail, "
    "owner_department_id)::text, 'UTF8'))"
)


def entry_month_sql(tz_param: str = "%s") -> str:
    """The month (first day, local time) an entry belongs to, i.e. its partition."""
    return f"date_trunc('month', occurred_at AT TIME ZONE {tz_param})::date"


def block_hash(
    *, prev_hash: str, number: int, month: dt.date, txid_lo: int, txid_hi: int, entry_ids: list[int], digests: bytes
) -> str:
    if len(digests) != DIGEST_SIZE * len(entry_ids):
        raise ValueError("one 32-byte digest per entry id")
    h = hashlib.sha256()
    h.update(bytes.fromhex(prev_hash))
    h.update(f"{number}|{month.isoformat()}|{txid_lo}|{txid_hi}|{len(entry_ids)}".encode())
    for i, entry_id in enumerate(entry_ids):
        h.update(struct.pack(">q", entry_id))
        h.update(digests[i * DIGEST_SIZE : (i + 1) * DIGEST_SIZE])
    return h.hexdigest()


def split_digests(digests: bytes) -> list[bytes]:
    return [bytes(digests[i : i + DIGEST_SIZE]) for i in range(0, len(digests), DIGEST_SIZE)]
