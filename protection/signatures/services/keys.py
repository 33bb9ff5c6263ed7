"""The platform's signing keys and the key records (证书) its root issues (Hechi art. 40 数字证书).

One root key per algorithm signs key records: one for the platform's own signing key (it signs the
Merkle roots of receipts) and one per department (it signs that department's decisions). Each
record has validity dates and can be revoked; the root's signed revocation list goes into every
evidence package. A record is created the first time it is needed, and again when the current one
has expired, been revoked, or the algorithm setting changed.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from protection.signatures import algorithms, keystore
from protection.signatures.conf import setting
from protection.signatures.models import Certificate, SigningKey
from protection.signatures.verifier import canonical

_LOCK = 7_341_801


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def part(cert: Certificate) -> dict:
    """The record as it travels in evidence: its exact signed text and the signature."""
    return {"body": cert.body, "signature": cert.signature}


def sign(cert: Certificate, message: bytes) -> str:
    key = cert.key
    return algorithms.sign(key.algorithm, keystore.unwrap(key.wrapped_private), key.public_key, message)


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def _current(qs, algorithm: str, now: dt.datetime) -> Certificate | None:
    return (
        qs.filter(key__algorithm=algorithm, revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)
        .select_related("key")
        .order_by("-not_before", "-id")
        .first()
    )


def _new_key(owner: str, algorithm: str, department=None) -> SigningKey:
    private, public = algorithms.generate(algorithm)
    return SigningKey.objects.create(
        owner=owner,
        department=department,
        algorithm=algorithm,
        public_key=public,
        wrapped_private=keystore.wrap(private),
    )


def _issue(
    *, key: SigningKey, issuer: Certificate | None, subject: dict, not_before: dt.datetime, not_after: dt.datetime
) -> Certificate:
    serial = uuid.uuid4().hex
    issuer_serial = issuer.serial if issuer is not None else serial
    body = canonical(
        {
            "type": "signing-key-record",
            "serial": serial,
            "issuer": issuer_serial,
            "subject": subject,
            "algorithm": key.algorithm,
            "public_key": key.public_key,
            "not_before": _iso(not_before),
            "not_after": _iso(not_after),
        }
    ).decode("utf-8")
    if issuer is None:  # the root signs its own record
        signature = algorithms.sign(
            key.algorithm, keystore.unwrap(key.wrapped_private), key.public_key, body.encode("utf-8")
        )
    else:
        signature = sign(issuer, body.encode("utf-8"))
    return Certificate.objects.create(
        serial=serial,
        key=key,
        issuer=issuer,
        subject=subject["name"],
        not_before=not_before,
        not_after=not_after,
        body=body,
        signature=signature,
    )


def root_certificate(*, algorithm: str | None = None) -> Certificate:
    """The platform's root key record (trust anchor) for the algorithm, created on first use."""
    algorithm = algorithm or setting("ALGORITHM")
    now = timezone.now()
    roots = Certificate.objects.filter(issuer__isnull=True)
    found = _current(roots, algorithm, now)
    if found is not None:
        return found
    with transaction.atomic():
        _lock()
        found = _current(roots, algorithm, now)
        if found is None:
            key = _new_key(SigningKey.Owner.ROOT, algorithm)
            found = _issue(
                key=key,
                issuer=None,
                subject={"kind": "root", "name": _("政务数据共享开放平台根证书")},
                not_before=now,
                not_after=now + dt.timedelta(days=setting("ROOT_DAYS")),
            )
            record("signatures.certificate.issue", target=found, detail={"kind": "root", "algorithm": algorithm})
    return found


def _signing_certificate(owner: str, department=None) -> Certificate:
    algorithm = setting("ALGORITHM")
    now = timezone.now()
    qs = Certificate.objects.filter(key__owner=owner, key__department=department, issuer__isnull=False)
    found = _current(qs, algorithm, now)
    if found is not None:
        return found
    root = root_certificate(algorithm=algorithm)
    with transaction.atomic():
        _lock()
        found = _current(qs, algorithm, now)
        if found is None:
            found = issue_certificate(owner=owner, department=department, root=root)
    return found


def platform_certificate() -> Certificate:
    """The key record whose key signs the Merkle roots of receipts and the audit chain's heads."""
    return _signing_certificate(SigningKey.Owner.PLATFORM)


def department_certificate(department) -> Certificate:
    """The department's key record: it signs the department's approvals, refusals and revocations."""
    if department is None:
        return platform_certificate()
    return _signing_certificate(SigningKey.Owner.DEPARTMENT, department)


def issue_certificate(
    *,
    owner: str,
    department=None,
    root: Certificate | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    actor=None,
) -> Certificate:
    """A new key pair and its key record, issued by the root; the dates default to now + CERTIFICATE_DAYS."""
    if actor is not None and not can(actor, "signatures.change_certificate"):
        raise PermissionDeniedError(_("只有大数据局管理员可以签发证书。"))
    root = root or root_certificate()
    not_before = not_before or timezone.now()
    not_after = not_after or not_before + dt.timedelta(days=setting("CERTIFICATE_DAYS"))
    if not_after <= not_before:
        raise DomainError(_("证书的失效时间必须晚于生效时间。"), code="invalid_input")
    with transaction.atomic():
        key = _new_key(owner, root.key.algorithm, department)
        name = department.name if department is not None else _("政务数据共享开放平台")
        subject = {"kind": owner, "name": name, **({"department": department.pk} if department is not None else {})}
        cert = _issue(key=key, issuer=root, subject=subject, not_before=not_before, not_after=not_after)
        record(
            "signatures.certificate.issue",
            actor=actor,
            target=cert,
            detail={"kind": owner, "algorithm": key.algorithm, "department": department.pk if department else None},
        )
    return cert


MAX_ISSUE_DAYS = 3650


def issue_by_admin(*, actor, department=None, days: int) -> Certificate:
    """The bureau admin issues a new key record by hand (Hechi art. 40 数字证书): a department's
    (its approvals, refusals and revocations are signed with the newest valid one from now on) or,
    with no department, the platform's; valid from now for `days` (1-3650)."""
    if not can(actor, "signatures.change_certificate"):
        raise PermissionDeniedError(_("只有大数据局管理员可以签发证书。"))
    if not isinstance(days, int) or not 1 <= days <= MAX_ISSUE_DAYS:
        message = _("有效天数须在 1 到 %(n)d 之间。") % {"n": MAX_ISSUE_DAYS}
        raise DomainError(message, code="invalid_input", errors={"days": [message]})
    now = timezone.now()
    owner = SigningKey.Owner.DEPARTMENT if department is not None else SigningKey.Owner.PLATFORM
    return issue_certificate(
        owner=owner, department=department, not_before=now, not_after=now + dt.timedelta(days=days), actor=actor
    )


def revoke_certificate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a key record at once; what it signed is reported as signed by a revoked certificate."""
    if not can(actor, "signatures.change_certificate"):
        raise PermissionDeniedError(_("只有大数据局管理员可以吊销证书。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写吊销原因。"), code="invalid_input", errors={"reason": [_("请填写吊销原因。")]})
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.revoked_at is not None:
            raise DomainError(_("该证书已被吊销。"), code="already_revoked")
        cert.revoked_at = timezone.now()
        cert.revocation_reason = reason[:200]
        cert.save(update_fields=["revoked_at", "revocation_reason"])
        record("signatures.certificate.revoke", actor=actor, target=cert, detail={"reason": cert.revocation_reason})
    return cert


def revocation_list(root: Certificate) -> dict:
    """The root's signed list of the key records it issued that are revoked, as of now."""
    revoked = list(Certificate.objects.filter(revoked_at__isnull=False, issuer=root).order_by("revoked_at", "id"))
    if root.revoked_at is not None:
        revoked.append(root)
    body = canonical(
        {
            "type": "revocation-list",
            "issuer": root.serial,
            "issued_at": _iso(timezone.now()),
            "revoked": [
                {"serial": c.serial, "revoked_at": _iso(c.revoked_at), "reason": c.revocation_reason}
                for c in revoked
                if c.revoked_at is not None
            ],
        }
    ).decode("utf-8")
    return {"body": body, "signature": sign(root, body.encode("utf-8"))}


def certificate_status(cert: Certificate, *, at: dt.datetime | None = None) -> str:
    at = at or timezone.now()
    if cert.revoked_at is not None:
        return "revoked"
    if not cert.not_before <= at <= cert.not_after:
        return "expired"
    return "valid"
