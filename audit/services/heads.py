"""The head of the hash chain, recorded outside the database every day (A3; seed 004 抗抵赖).

A superuser who rewrites the whole chain consistently (entries, digests, block hashes) is caught
only by a copy of the head kept elsewhere: a file the auditors keep, appended once a day, and a
notification to each auditor carrying the same hash. verify_audit compares the chain with the file.
File format, one line per day: DATE<TAB>BLOCK_NUMBER<TAB>BLOCK_HASH<TAB>EXPORTED_AT.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditHeadExport
from audit.services import record
from audit.services.canonical import GENESIS_HASH
from audit.services.head_signers import signal_head

HEAD_FILE_NAME = "audit-chain-heads.txt"
_LOCK = 7_341_003


@dataclass(frozen=True)
class Head:
    day: dt.date
    block_number: int
    block_hash: str


def head_file() -> Path:
    return Path(settings.AUDIT_HEAD_DIR) / HEAD_FILE_NAME


def read_heads(path: Path | None = None) -> list[Head] | None:
    """The recorded heads, or None when there is no file. Malformed lines are skipped."""
    path = path or head_file()
    if not path.exists():
        return None
    heads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t")
        if len(parts) < 3 or line.startswith("#"):
            continue
        try:
            heads.append(Head(dt.date.fromisoformat(parts[0]), int(parts[1]), parts[2]))
        except ValueError:
            continue
    return heads


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8") as f:
        if new:
            f.write("# 审计日志哈希链链头存证 / audit chain heads: date, block number, block hash, exported at\n")
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


def export_head(*, day: dt.date | None = None) -> AuditHeadExport:
    """Seal what is final, then record the day's head in the auditors' file and notify them.

    Once per day (idempotent: a second run returns the day's export). Seed 004, Lhasa art. 41.
    """
    from audit.services.alerts import KIND_CHAIN_HEAD, alert_auditors
    from audit.services.chain import chain_head, seal

    day = day or timezone.localdate()
    seal()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        existing = AuditHeadExport.objects.filter(day=day).first()
        if existing is not None:
            return existing
        head = chain_head()
        number, block_hash = (head.number, head.block_hash) if head else (0, GENESIS_HASH)
        now = timezone.now()
        path = head_file()
        body = _("%(day)s 审计日志哈希链链头：区块 %(number)s，哈希 %(hash)s。请妥善保存，以便发现日志被整体重写。") % {
            "day": day.isoformat(),
            "number": number,
            "hash": block_hash,
        }
        notified = alert_auditors(
            key=f"audit.chain_head:{day.isoformat()}", title=_("审计日志链头存证"), body=body, kind=KIND_CHAIN_HEAD
        )
        export = AuditHeadExport(
            day=day, block_number=number, block_hash=block_hash, file_path=str(path), exported_at=now, notified=notified
        )
        export.save()
        signal_head(number=number, block_hash=block_hash, day=day)
        record(
            "audit.head.export",
            target=("audit.chainhead", day.isoformat(), f"#{number}"),
            detail={"block": number, "hash": block_hash, "file": str(path), "notified": notified},
        )
        # Last, so that a failure above leaves no line without its row.
        _append(path, f"{day.isoformat()}\t{number}\t{block_hash}\t{now.isoformat()}\n")
    return export
