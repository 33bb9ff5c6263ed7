"""Settings of the signatures app, with their defaults (documented in config/settings/base.py)."""

from django.conf import settings

DEFAULTS = {
    "ALGORITHM": "sm2",  # sm2 (SM2/SM3, GB/T 39786) or ecdsa-p256 (ECDSA P-256/SHA-256)
    "ROOT_DAYS": 3650,  # validity of the platform's root key record
    "CERTIFICATE_DAYS": 730,  # validity of a signing key record (platform or department)
    "RECEIPTS": True,  # a receipt for every delivery of shared data
    "BATCH_SIZE": 50_000,  # receipts per signed Merkle root at most
}


def setting(name: str):
    return getattr(settings, "SIGNATURES", {}).get(name, DEFAULTS[name])
