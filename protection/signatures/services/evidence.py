"""Evidence packages for a dispute (Sixian art. 28, Hechi art. 30 and 40-41) and the portal's verifier.

A package is a ZIP the verifier (verifier.py, no Django) reads offline: the receipt exactly as it
was hashed, its Merkle proof, the signed root, the signer's key record, the platform's root record
and the root's signed revocation list as of the download. A receipt not yet in a signed tree is
sealed on the spot, so its package can be downloaded as soon as the delivery is over.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from protection.signatures import verifier
from protection.signatures.models import Certificate, Receipt, SignedDecision
from protection.signatures.services import keys, roots


def _readme() -> str:
    return _("""电子证据包（交付回执）

receipt.json      回执：授权、使用部门、提供部门、时间、交付数据的摘要、记录数
proof.json        默克尔包含证明
root.json         平台签名的默克尔根
certificate.json  签名密钥的证书（由平台根证书签发）
ca.json           平台根证书（请另行从平台获取并核对）
revocations.json  下载时的证书吊销列表

离线校验：python -m protection.signatures.verifier 证据包.zip --data 数据文件 --trust ca.json
或：manage.py verify_receipt 证据包.zip --data 数据文件
""")


def _chain(cert: Certificate) -> dict:
    root = cert.issuer or cert
    return {"certificate": keys.part(cert), "ca": keys.part(root), "revocations": keys.revocation_list(root)}


def receipt_evidence(receipt: Receipt) -> dict:
    if receipt.root_id is None:
        roots.seal_receipts()
        receipt.refresh_from_db()
    if receipt.root_id is None:
        raise DomainError(_("回执尚未签名，请稍后再试。"), code="not_sealed")
    root = receipt.root
    assert root is not None  # sealed: root_id was checked above
    return {
        "receipt": receipt.body,
        "proof": roots.proof(receipt),
        "root": {"statement": root.statement, "signature": root.signature},
        **_chain(root.certificate),
    }


def decision_evidence(decision: SignedDecision) -> dict:
    return {
        "record": {"statement": decision.statement, "signature": decision.signature},
        **_chain(decision.certificate),
    }


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, text in parts.items():
            archive.writestr(filename, text)
    return buffer.getvalue()


def _dump(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2)


def receipt_package(*, actor, receipt: Receipt) -> bytes:
    """The ZIP for one receipt; the caller found it through receipts_visible_to(actor)."""
    evidence = receipt_evidence(receipt)
    record(
        "signatures.evidence.download",
        actor=actor,
        target=("signatures.receipt", str(receipt.uid)),
        detail={"grant": receipt.grant_id, "provider_department_id": receipt.provider_department_id},
    )
    files = {f: _dump(evidence[k]) for f, k in verifier.PARTS.items() if k in evidence}
    return _zip({**files, "README.txt": _readme()})


def decision_package(*, actor, decision: SignedDecision) -> bytes:
    evidence = decision_evidence(decision)
    record(
        "signatures.evidence.download",
        actor=actor,
        target=("signatures.decision", str(decision.uid)),
        detail={"grant": decision.grant_id, "application": decision.application_id},
    )
    files = {f: _dump(evidence[k]) for f, k in verifier.PARTS.items() if k in evidence}
    return _zip(files)


def verify_upload(*, blob: bytes, data: bytes | None = None) -> verifier.Report:
    """Check a package against this platform: its own root record as the trust anchor, and the
    revocations as they stand now (not as they stood when the package was made)."""
    try:
        evidence = verifier.read_package(blob)
        cert_serial = json.loads(evidence["certificate"]["body"])["serial"]
    except (ValueError, KeyError, TypeError):
        return verifier.Report(status=verifier.MALFORMED, checks=[(verifier.MALFORMED, False, "")])
    cert = Certificate.objects.filter(serial=cert_serial).select_related("issuer").first()
    if cert is None:
        return verifier.Report(
            status=verifier.CERTIFICATE_UNTRUSTED, checks=[(verifier.CERTIFICATE_UNTRUSTED, False, cert_serial)]
        )
    root = cert.issuer or cert
    trusted_ca, revocations = keys.part(root), keys.revocation_list(root)
    if "record" in evidence:
        return verifier.verify_signed_record(evidence, trusted_ca=trusted_ca, revocations=revocations)
    return verifier.verify_evidence(evidence, data, trusted_ca=trusted_ca, revocations=revocations)
