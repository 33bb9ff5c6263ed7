"""The authenticated ciphers and keyed hashes of encryption at rest, on the `cryptography` library.

Two choices, by the setting ``ENCRYPTION["ALGORITHM"]`` (docs in SECURITY.md):

    sm4-gcm       SM4 (GB/T 32907) in GCM mode, 128-bit key, 96-bit nonce, 128-bit tag
                  (RFC 8998 names it for TLS; GB/T 39786 expects 国密 algorithms of government
                  systems), keyed hashes HMAC-SM3 (GB/T 32905)
    aes-256-gcm   AES-256 in GCM mode, keyed hashes HMAC-SHA-256

`cryptography` 50 (OpenSSL 3+) provides SM4 in GCM mode through its ``Cipher`` interface, so this
is the standard construction, not a home-made one; the test suite checks it against RFC 8998's
test vector. A random 96-bit nonce per message keeps GCM's nonce-reuse bound (NIST SP 800-38D
§8.3: at most 2^32 messages per key) far above what one data key encrypts.
"""

from __future__ import annotations

import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SM4_GCM = "sm4-gcm"
AES_256_GCM = "aes-256-gcm"
# one byte each in every stored blob, so a blob says which algorithm made it
ALGORITHM_IDS = {SM4_GCM: 1, AES_256_GCM: 2}
ALGORITHM_NAMES = {number: name for name, number in ALGORITHM_IDS.items()}
KEY_SIZES = {SM4_GCM: 16, AES_256_GCM: 32}
NONCE_SIZE = 12
TAG_SIZE = 16


class AuthenticationFailed(Exception):
    """The tag did not verify: wrong key, wrong associated data, or altered bytes."""


def check_algorithm(name: str) -> str:
    if name not in ALGORITHM_IDS:
        raise ValueError(f"unknown encryption algorithm {name!r}; choose one of {sorted(ALGORITHM_IDS)}")
    return name


def _hash(algorithm: str):
    return hashes.SM3() if algorithm == SM4_GCM else hashes.SHA256()


def keyed_hash(algorithm: str, key: bytes, message: bytes) -> bytes:
    """HMAC-SM3 (sm4-gcm) or HMAC-SHA-256 (aes-256-gcm) of message: 32 bytes."""
    mac = hmac.HMAC(key, _hash(algorithm))
    mac.update(message)
    return mac.finalize()


class KeyedHash:
    """keyed_hash with the key set up once: each message copies the keyed state (half the cost
    of a new HMAC per value, which a load of a million rows notices)."""

    def __init__(self, algorithm: str, key: bytes):
        self._base = hmac.HMAC(key, _hash(algorithm))

    def __call__(self, message: bytes) -> bytes:
        mac = self._base.copy()
        mac.update(message)
        return mac.finalize()


def subkey(algorithm: str, secret: bytes, label: bytes, size: int) -> bytes:
    """A key for one purpose derived from a secret (HMAC as a PRF, as HKDF-Expand's first block
    does), so the same secret never keys two different functions."""
    if size > 32:
        raise ValueError("subkeys are at most 32 bytes")
    return keyed_hash(algorithm, secret, b"portal-subkey|" + label)[:size]


def seal(algorithm: str, key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """nonce (12) | ciphertext | tag (16)."""
    nonce = os.urandom(NONCE_SIZE)
    if algorithm == AES_256_GCM:
        return nonce + AESGCM(key).encrypt(nonce, plaintext, aad or None)
    check_algorithm(algorithm)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def open_sealed(algorithm: str, key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """The plaintext of seal()'s blob; AuthenticationFailed if anything does not verify."""
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise AuthenticationFailed("too short")
    nonce = blob[:NONCE_SIZE]
    try:
        if algorithm == AES_256_GCM:
            return AESGCM(key).decrypt(nonce, blob[NONCE_SIZE:], aad or None)
        check_algorithm(algorithm)
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, blob[-TAG_SIZE:])).decryptor()
        if aad:
            decryptor.authenticate_additional_data(aad)
        return decryptor.update(blob[NONCE_SIZE:-TAG_SIZE]) + decryptor.finalize()
    except InvalidTag:
        raise AuthenticationFailed("tag mismatch") from None


def equal(a: bytes, b: bytes) -> bool:
    return std_hmac.compare_digest(a, b)
