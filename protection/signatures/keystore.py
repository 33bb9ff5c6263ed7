"""The platform's private signing keys are kept wrapped by the master key, never in the clear (Hechi
art. 40 加密; GB/T 39786 密钥管理).

One small seam over protection.encryption's key provider, so that the day the master key lives in
an HSM or a cloud KMS the signing keys follow it without a change here. Losing the master key loses
the signing keys too: new ones are then issued and the old key records revoked (docs/signatures.md).
"""

from __future__ import annotations

from protection.encryption import keys


def wrap(private: bytes) -> bytes:
    return keys.wrap(private)


def unwrap(blob: bytes | memoryview) -> bytes:
    return keys.unwrap(bytes(blob))
