"""Merkle trees over receipts, as RFC 9162 (Certificate Transparency 2.0) defines them, with no Django import.

Leaves are H(0x00 || record bytes) and nodes H(0x01 || left || right), so a leaf can never pass for
a node; the inclusion proof of one receipt is log2(n) hashes, and checking it needs nothing but the
receipt, the proof and the signed root (Hechi art. 40: integrity checks of what is exchanged).
"""

from __future__ import annotations

from protection.signatures.algorithms import digest


def leaf_hash(name: str, data: bytes) -> bytes:
    return digest(name, b"\x00" + data)


def _node(name: str, left: bytes, right: bytes) -> bytes:
    return digest(name, b"\x01" + left + right)


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(name: str, leaves: list[bytes]) -> bytes:
    """The tree head of these leaf hashes (the hash of the empty string for none)."""
    if not leaves:
        return digest(name, b"")
    level = list(leaves)
    # Bottom-up over RFC 9162's shape: pairing left to right and carrying an odd last node up
    # gives the same head as the recursive split at the largest power of two.
    while len(level) > 1:
        nxt = [_node(name, level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def proof(name: str, leaves: list[bytes], index: int) -> list[bytes]:
    """The inclusion proof (audit path) of leaf `index`."""
    if not 0 <= index < len(leaves):
        raise ValueError("leaf index out of range")
    path = []
    level = list(leaves)
    i = index
    while len(level) > 1:
        sibling = i ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        nxt = [_node(name, level[j], level[j + 1]) for j in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
        i //= 2
    return path


def root_from_proof(name: str, leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """The head that `path` leads to from `leaf` (RFC 9162 §2.1.3.2), or None for an impossible proof."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = _node(name, p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(name, r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None
