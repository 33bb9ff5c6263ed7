"""Evidence of an incident (Tongren art. 36 保存记录): audit entries, receipts of
protection.signatures, and files kept encrypted on disk like every upload (protection.encryption)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from protection.encryption import files
from secops.incidents import conf
from secops.incidents.models import Action, Evidence, Incident
from secops.incidents.services.register import REPORT, log, may_handle


def evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "incidents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _may_add(actor, incident: Incident) -> bool:
    """The bureau, and the department that reported it."""
    return may_handle(actor) or (
        can(actor, REPORT)
        and incident.reporter_department_id is not None
        and incident.reporter_department_id == actor.department_id
    )


def add_evidence(
    *, actor, incident: Incident, audit_entry_id: int | None = None, receipt: str = "", upload=None, note: str = ""
) -> Evidence:
    if not _may_add(actor, incident):
        raise PermissionDeniedError(_("您不能为该事件添加证据。"))
    given = [x for x in (audit_entry_id, receipt.strip() or None, upload) if x is not None]
    if len(given) != 1:
        raise DomainError(_("每次添加一项证据：审计记录编号、回执编号或文件。"), code="one_evidence")
    if not incident.is_open:
        raise DomainError(_("事件已关闭，不能再添加证据。"), code="closed")
    evidence = Evidence(incident=incident, note=note.strip()[:300], added_by=actor, added_at=timezone.now())
    path = None
    if upload is not None:
        if upload.size > conf.setting("EVIDENCE_MAX_BYTES"):
            raise DomainError(
                _("文件超过大小上限（%(n)d MB）。") % {"n": conf.setting("EVIDENCE_MAX_BYTES") // (1024 * 1024)},
                code="file_too_large",
            )
        path = evidence_dir() / f"{uuid.uuid4().hex}.enc"
        evidence.kind, evidence.file_name = Evidence.Kind.FILE, os.path.basename(upload.name or "")[:200]
        evidence.file_size, evidence.file_path = files.store(upload, path), path.name
    elif audit_entry_id is not None:
        evidence.kind, evidence.audit_entry_id = Evidence.Kind.AUDIT, int(audit_entry_id)
    else:
        evidence.kind, evidence.receipt = Evidence.Kind.RECEIPT, receipt.strip()[:64]
    try:
        with transaction.atomic():
            evidence.save()
            log(
                incident,
                Action.Kind.EVIDENCE,
                actor,
                _("添加证据：%(e)s（%(k)s）") % {"e": evidence, "k": evidence.get_kind_display()},
                audit="incidents.evidence.add",
                detail={"evidence": evidence.pk, "kind": evidence.kind},
            )
    except Exception:
        if path is not None:
            files.remove(path)
        raise
    return evidence


def evidence_content(*, actor, evidence: Evidence) -> bytes:
    """The decrypted file, for a caller who sees the incident (the selector decided); each read is
    audited: evidence may hold the very records that leaked."""
    record(
        "incidents.evidence.read",
        actor=actor,
        target=evidence.incident,
        detail={"incident": evidence.incident_id, "evidence": evidence.pk},
    )
    return b"".join(files.decrypt_chunks(evidence_dir() / evidence.file_path))
