"""The Merkle trees of receipts (RFC 9162): every leaf's proof leads to the head, no other leaf's does."""

import os

from protection.signatures import merkle


def test_every_leaf_proves_into_the_head_for_every_tree_size():
    for size in range(1, 34):
        leaves = [os.urandom(32) for _ in range(size)]
        head = merkle.root("sm3", leaves)
        for index in range(size):
            path = merkle.proof("sm3", leaves, index)
            assert merkle.root_from_proof("sm3", leaves[index], index, size, path) == head
            if size > 1:
                assert merkle.root_from_proof("sm3", leaves[(index + 1) % size], index, size, path) != head
            assert merkle.root_from_proof("sm3", leaves[index], index + size, size, path) is None


def test_a_leaf_cannot_pass_for_a_node():
    a, b = merkle.leaf_hash("sha256", b"a"), merkle.leaf_hash("sha256", b"b")
    assert merkle.root("sha256", [a, b]) != merkle.leaf_hash("sha256", a + b)
