"""A receipt for every delivery of shared data (Hechi art. 41 责任认定、确保数据可追溯; Sixian art. 28).

The sharing service calls receipt_for() where it records a use, and the delivery waits on the
request. The ReceiptMiddleware then hashes the exact bytes of
the response body that leaves (a streamed pull as its chunks pass, the receipt written when the last
one has gone) and writes the receipt: grant, requester, provider, time, SM3 (or SHA-256) digest,
byte and row counts. The per-delivery cost is that one hash and one row; signing happens once per
batch (services.roots). A use refused or rolled back has no receipt; nor does an answer that is not
a success.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from portal.request_context import current_request
from protection.signatures import algorithms
from protection.signatures.conf import setting
from protection.signatures.models import Receipt
from protection.signatures.verifier import canonical

_ATTR = "_signatures_deliveries"
HEADER = "X-Receipt"


@dataclass
class Delivery:
    grant_id: int
    mode: str
    channel: str
    requester_id: int | None
    requester_department_id: int | None
    provider_department_id: int | None
    rows: int
    uid: uuid.UUID = field(default_factory=uuid.uuid4)


def receipt_for(
    *,
    grant_id: int,
    mode: str,
    channel: str,
    requester_id: int | None,
    requester_department_id: int | None,
    provider_department_id: int | None,
    rows: int,
) -> None:
    """Announce a delivery of shared data; its receipt is written when its bytes leave (see module doc).

    Called last in the use's transaction, once the use is recorded and within its quotas: any
    refusal comes before, and an answer other than a success (an error after this point) gets no
    receipt (ReceiptMiddleware)."""
    if not setting("RECEIPTS"):
        return
    request = current_request()
    if request is None:
        return  # no HTTP answer to hash (a shell or a task): nothing is delivered
    delivery = Delivery(
        grant_id=grant_id,
        mode=mode,
        channel=channel,
        requester_id=requester_id,
        requester_department_id=requester_department_id,
        provider_department_id=provider_department_id,
        rows=rows,
    )
    _wait(request, delivery)


def _wait(request, delivery: Delivery) -> None:
    if not hasattr(request, _ATTR):
        setattr(request, _ATTR, [])
    getattr(request, _ATTR).append(delivery)


def pending(request) -> list[Delivery]:
    return getattr(request, _ATTR, None) or []


def digest_name() -> str:
    return algorithms.DIGEST_OF[setting("ALGORITHM")]


def write(delivery: Delivery, *, digest_hex: str, name: str, size: int, complete: bool = True) -> Receipt:
    now = timezone.now()
    body = canonical(
        {
            "type": "delivery-receipt",
            "uid": str(delivery.uid),
            "grant": delivery.grant_id,
            "mode": delivery.mode,
            "channel": delivery.channel,
            "requester": {"user": delivery.requester_id, "department": delivery.requester_department_id},
            "provider": {"department": delivery.provider_department_id},
            "delivered_at": now.isoformat(),
            "digest": {"algorithm": name, "value": digest_hex},
            "bytes": size,
            "rows": delivery.rows,
            "complete": complete,
        }
    ).decode("utf-8")
    return Receipt.objects.create(
        uid=delivery.uid,
        kind=Receipt.Kind.DELIVERY,
        grant_id=delivery.grant_id,
        mode=delivery.mode,
        requester_id=delivery.requester_id,
        requester_department_id=delivery.requester_department_id,
        provider_department_id=delivery.provider_department_id,
        created_at=now,
        rows=delivery.rows,
        size=size,
        digest=digest_hex,
        complete=complete,
        body=body,
    )


def attach(response, deliveries: list[Delivery]):
    """Hash the body that leaves and write the receipts; the receipt number goes out as a header."""
    name = digest_name()
    response[HEADER] = ",".join(str(d.uid) for d in deliveries)
    if not getattr(response, "streaming", False):
        content = response.content
        value = algorithms.digest(name, content).hex()
        for delivery in deliveries:
            write(delivery, digest_hex=value, name=name, size=len(content))
        return response
    response.streaming_content = _Hashing(response.streaming_content, deliveries, name)
    return response


class _Hashing:
    """The body's chunks, hashed as they pass; the receipts are written once, when the last chunk has
    gone or when the response is closed first (a download cut short, or never started, is receipted
    as incomplete with the digest of what was sent)."""

    def __init__(self, chunks, deliveries: list[Delivery], name: str):
        self._chunks = iter(chunks)
        self._deliveries, self._name = deliveries, name
        self._hash = algorithms.hasher(name)
        self._size = 0
        self._written = False

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._write(complete=True)
            raise
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        self._hash.update(chunk)
        self._size += len(chunk)
        return chunk

    def close(self) -> None:
        try:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            self._write(complete=False)

    def _write(self, *, complete: bool) -> None:
        if self._written:
            return
        self._written = True
        for delivery in self._deliveries:
            write(delivery, digest_hex=self._hash.hexdigest(), name=self._name, size=self._size, complete=complete)
