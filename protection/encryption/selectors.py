"""What the key status page and API show: key ids, purposes, counts and rotation progress, never
a key (SECURITY.md "Encryption at rest")."""

from __future__ import annotations

from django.db.models import Count, Max, Min

from . import keys
from .models import Reencryption, StoredKey

VIEW = "encryption.view_storedkey"


def status() -> dict:
    try:
        provider = keys.provider()
        current, known, problem = provider.key_id(), sorted(provider.known_key_ids()), ""
    except keys.EncryptionError as exc:
        current, known, problem = "", [], str(exc)
    groups = (
        StoredKey.objects.values("purpose", "master_key_id", "algorithm")
        .annotate(keys=Count("id"), retired=Count("retired_at"), first=Min("created_at"), last=Max("created_at"))
        .order_by("purpose", "master_key_id", "algorithm")
    )
    labels = dict(StoredKey.Purpose.choices)
    rows = [
        {
            **g,
            "purpose_label": str(labels.get(g["purpose"], g["purpose"])),
            "current_master_key": g["master_key_id"] == current,
        }
        for g in groups
    ]
    jobs = [
        {
            "table": j.scope,
            "old_key": j.old_key_id,
            "new_key": j.new_key_id,
            "rows_done": j.rows_done,
            "last_row": j.last_row,
            "started_at": j.started_at,
            "finished_at": j.finished_at,
        }
        for j in Reencryption.objects.order_by("-started_at")[:50]
    ]
    return {
        "algorithm": keys.algorithm(),
        "provider": keys.encryption_settings()["KEY_PROVIDER"],
        "master_key_id": current,
        "known_master_key_ids": known,
        "problem": problem,
        "keys": rows,
        "to_rewrap": sum(r["keys"] for r in rows if not r["current_master_key"]),
        "reencryptions": jobs,
    }
