"""Signature algorithms and digests of the platform, with no Django import (the offline verifier uses it).

SM2 with SM3 (GB/T 32918, GB/T 32905) is the default, as GB/T 39786 expects of government systems;
ECDSA P-256 with SHA-256 is the other choice. Public keys travel as hex: SM2 as the 64-byte point
x||y (gmssl's form), ECDSA as the uncompressed X9.62 point. Signatures are hex: SM2 r||s, ECDSA DER.
"""

from __future__ import annotations

import hashlib
import secrets

from gmssl import sm2  # type: ignore[import-untyped]

SM2 = "sm2"
ECDSA_P256 = "ecdsa-p256"
ALGORITHMS = (SM2, ECDSA_P256)
DIGEST_OF = {SM2: "sm3", ECDSA_P256: "sha256"}


def digest(name: str, data: bytes) -> bytes:
    if name not in ("sm3", "sha256"):
        raise ValueError(f"unknown digest {name!r}")
    return hashlib.new(name, data).digest()


def hasher(name: str):
    if name not in ("sm3", "sha256"):
        raise ValueError(f"unknown digest {name!r}")
    return hashlib.new(name)


def generate(algorithm: str) -> tuple[bytes, str]:
    """A new key pair: (private key bytes, public key hex)."""
    if algorithm == SM2:
        n = int(sm2.default_ecc_table["n"], 16)
        d = secrets.randbelow(n - 2) + 1
        d_hex = f"{d:064x}"
        public = sm2.CryptSM2(private_key=d_hex, public_key="")._kg(d, sm2.default_ecc_table["g"])
        return bytes.fromhex(d_hex), public
    if algorithm == ECDSA_P256:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        private = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return private, public.hex()
    raise ValueError(f"unknown algorithm {algorithm!r}")


def _sm2(private_hex, public_hex):
    """gmssl's CryptSM2 with the public key set as given: its constructor does
    `public_key.lstrip("04")`, which also eats the leading 0 and 4 digits of a point whose x begins
    with them (about one key in 256 then signs and verifies wrongly)."""
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_hex
    return crypt


def sign(algorithm: str, private: bytes, public_hex: str, message: bytes) -> str:
    if algorithm == SM2:
        signer = _sm2(private.hex(), public_hex)
        # gmssl's own nonce (func.random_hex) comes from `random`, not a CSPRNG: a predictable SM2
        # nonce gives the private key away, so the nonce is drawn from `secrets` here.
        n = int(sm2.default_ecc_table["n"], 16)
        return signer.sign_with_sm3(message, f"{secrets.randbelow(n - 1) + 1:064x}")
    if algorithm == ECDSA_P256:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = serialization.load_der_private_key(private, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("not an ECDSA private key")
        return key.sign(message, ec.ECDSA(hashes.SHA256())).hex()
    raise ValueError(f"unknown algorithm {algorithm!r}")


def verify(algorithm: str, public_hex: str, message: bytes, signature_hex: str) -> bool:
    """True only for a valid signature; malformed keys or signatures are False, never an exception."""
    try:
        if algorithm == SM2:
            if len(signature_hex) != 128 or len(public_hex) != 128:
                return False
            bytes.fromhex(signature_hex)
            return bool(_sm2(None, public_hex).verify_with_sm3(signature_hex, message))
        if algorithm == ECDSA_P256:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import ec

            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes.fromhex(public_hex))
            try:
                key.verify(bytes.fromhex(signature_hex), message, ec.ECDSA(hashes.SHA256()))
            except InvalidSignature:
                return False
            return True
    except (ValueError, TypeError, IndexError, ZeroDivisionError):
        return False
    return False
