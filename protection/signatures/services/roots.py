"""Signed Merkle roots over the receipts: one signature per batch, not per delivery (Hechi art. 40).

A beat job every minute seals the receipts not yet in a tree into one (RFC 9162 shape, merkle.py),
and the platform's key signs its head, chained to the previous head; at each day's end a second
job signs a day root over that day's batch roots. The audit chain's heads (registered from
apps.py into audit's hook) are leaves like receipts, which keys the audit chain: whoever rewrites
the audit tables cannot produce the platform's signature over the rewritten head.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, transaction
from django.utils import timezone

from protection.signatures import merkle
from protection.signatures.algorithms import DIGEST_OF
from protection.signatures.conf import setting
from protection.signatures.models import Receipt, SignedRoot
from protection.signatures.services import keys
from protection.signatures.verifier import canonical

_LOCK = 7_341_802


def _sign_root(*, kind: str, leaves: list[bytes], name: str, cert, now: dt.datetime, extra: dict) -> SignedRoot:
    last = SignedRoot.objects.order_by("-number").only("number", "root_hash").first()
    number = (last.number if last else 0) + 1
    head = merkle.root(name, leaves).hex()
    statement = canonical(
        {
            "type": "receipt-root",
            "kind": kind,
            "number": number,
            "tree_size": len(leaves),
            "root": head,
            "hash": name,
            "prev": last.root_hash if last else None,
            "signed_at": now.isoformat(),
            "certificate": cert.serial,
            **extra,
        }
    ).decode("utf-8")
    day = dt.date.fromisoformat(extra["day"]) if "day" in extra else None
    return SignedRoot.objects.create(
        kind=kind,
        number=number,
        day=day,
        tree_size=len(leaves),
        root_hash=head,
        leaf_hashes=b"".join(leaves),
        statement=statement,
        signature=keys.sign(cert, statement.encode("utf-8")),
        certificate=cert,
        signed_at=now,
    )


def _locked() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK])
        return cursor.fetchone()[0]


def _seal_once(batch: int) -> SignedRoot | None:
    with transaction.atomic():
        if not _locked():
            return None  # another run is sealing
        receipts = list(
            Receipt.objects.filter(root__isnull=True).order_by("created_at", "uid").values_list("uid", "body")[:batch]
        )
        if not receipts:
            return None
        cert = keys.platform_certificate()
        name = DIGEST_OF[cert.key.algorithm]
        leaves = [merkle.leaf_hash(name, body.encode("utf-8")) for _id, body in receipts]
        root = _sign_root(
            kind=SignedRoot.Kind.BATCH,
            leaves=leaves,
            name=name,
            cert=cert,
            now=timezone.now(),
            extra={"first_receipt": str(receipts[0][0]), "last_receipt": str(receipts[-1][0])},
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE signatures_receipt AS r SET root_id = %s, leaf_index = v.idx "
                "FROM unnest(%s::uuid[], %s::int[]) AS v(uid, idx) WHERE r.uid = v.uid",
                [root.pk, [str(r[0]) for r in receipts], list(range(len(receipts)))],
            )
        return root


def seal_receipts(*, max_runs: int = 20) -> list[SignedRoot]:
    """Seal every receipt not yet in a tree (idempotent; safe to run twice at once)."""
    roots = []
    for _ in range(max_runs):
        root = _seal_once(setting("BATCH_SIZE"))
        if root is None:
            break
        roots.append(root)
    return roots


def seal_day(*, day: dt.date | None = None) -> SignedRoot | None:
    """The day root: a tree over the day's batch roots (their signed statements), signed once."""
    day = day or timezone.localdate()
    seal_receipts()
    with transaction.atomic():
        if not _locked():
            return None
        existing = SignedRoot.objects.filter(kind=SignedRoot.Kind.DAY, day=day).first()
        if existing is not None:
            return existing
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        batches = list(
            SignedRoot.objects.filter(
                kind=SignedRoot.Kind.BATCH, signed_at__gte=start, signed_at__lt=start + dt.timedelta(days=1)
            )
            .order_by("number")
            .values_list("number", "statement")
        )
        cert = keys.platform_certificate()
        name = DIGEST_OF[cert.key.algorithm]
        leaves = [merkle.leaf_hash(name, statement.encode("utf-8")) for _n, statement in batches]
        return _sign_root(
            kind=SignedRoot.Kind.DAY,
            leaves=leaves,
            name=name,
            cert=cert,
            now=timezone.now(),
            extra={"day": day.isoformat(), "batches": [n for n, _s in batches]},
        )


def record_audit_head(*, number: int, block_hash: str, day: dt.date | None = None) -> Receipt:
    """A leaf for the audit chain's head (audit's head hook): signed with the next batch root."""
    now = timezone.now()
    body = canonical(
        {
            "type": "audit-chain-head",
            "block": number,
            "hash": block_hash,
            "day": day.isoformat() if day else None,
            "recorded_at": now.isoformat(),
        }
    ).decode("utf-8")
    return Receipt.objects.create(kind=Receipt.Kind.AUDIT_HEAD, created_at=now, digest=block_hash[:64], body=body)


def proof(receipt: Receipt) -> dict:
    root = receipt.root
    assert root is not None and receipt.leaf_index is not None, "a proof is asked of sealed receipts only"
    name = json.loads(root.statement)["hash"]
    blob = bytes(root.leaf_hashes)
    leaves = [blob[i : i + 32] for i in range(0, len(blob), 32)]
    return {
        "leaf_index": receipt.leaf_index,
        "tree_size": root.tree_size,
        "hash": name,
        "path": [h.hex() for h in merkle.proof(name, leaves, receipt.leaf_index)],
    }
