"""Checking a receipt offline: digest, Merkle proof, signed root, certificate — with no Django import.

`manage.py verify_receipt FILE` wraps this module, and it runs on its own too
(`python -m protection.signatures.verifier FILE`), so that anyone holding an evidence package, the
delivered data and the platform's root certificate can check a delivery without the portal
(Sixian art. 28, Hechi art. 30 and 40-41: integrity, non-repudiation, accountability).

The evidence package is a ZIP with receipt.json (the receipt exactly as it was hashed into the
tree), proof.json, root.json (the signed tree head), certificate.json (the signer's key record,
issued by the platform's root), ca.json (the root's self-signed record) and revocations.json
(the root's signed list of revoked key records when the package was made). See docs/signatures.md.
Every check names what failed: a tampered receipt, data of another delivery, a forged root, an
expired, revoked or untrusted certificate are each reported as such.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field

from protection.signatures import algorithms, merkle

OK = "ok"
MALFORMED = "malformed"
DATA_MISMATCH = "data_mismatch"
RECEIPT_TAMPERED = "receipt_tampered"
ROOT_SIGNATURE_INVALID = "root_signature_invalid"
CERTIFICATE_UNTRUSTED = "certificate_untrusted"
CERTIFICATE_EXPIRED = "certificate_expired"
CERTIFICATE_REVOKED = "certificate_revoked"
REVOCATIONS_INVALID = "revocations_invalid"
SIGNED_RECORD_INVALID = "signed_record_invalid"

MESSAGES = {
    OK: "回执有效：数据摘要、默克尔证明、平台签名和证书均校验通过。",
    MALFORMED: "证据文件不完整或格式错误。",
    DATA_MISMATCH: "数据与回执记载的摘要不符：这是另一次交付的回执，或数据已被改动。",
    RECEIPT_TAMPERED: "回执已被篡改：其内容与平台签名的默克尔根不符。",
    ROOT_SIGNATURE_INVALID: "默克尔根的签名无效：签名根被伪造或改动。",
    CERTIFICATE_UNTRUSTED: "签名证书不是受信任的平台根证书签发的。",
    CERTIFICATE_EXPIRED: "签名证书在所查时间不在有效期内（已过期或尚未生效）。",
    CERTIFICATE_REVOKED: "签名证书已被吊销。",
    REVOCATIONS_INVALID: "吊销列表的签名无效。",
    SIGNED_RECORD_INVALID: "签名记录的签名无效或已被改动。",
}


def canonical(obj) -> bytes:
    """The one byte form of a record that is hashed or signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass
class Report:
    status: str
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    receipt: dict | None = None

    @property
    def valid(self) -> bool:
        return self.status == OK

    @property
    def message(self) -> str:
        return MESSAGES[self.status]

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "status": self.status,
            "message": self.message,
            "checks": [{"check": c, "passed": p, "detail": d} for c, p, d in self.checks],
            "receipt": self.receipt,
        }


class _Fail(Exception):
    def __init__(self, status: str, detail: str = ""):
        super().__init__(status)
        self.status, self.detail = status, detail


def _signed(part: dict, text_key: str) -> tuple[dict, bytes, str]:
    text = part[text_key]
    return json.loads(text), text.encode("utf-8"), part["signature"]


def check_certificate(
    cert_part: dict, ca_part: dict, *, at: dt.datetime, revocations: dict | None, trusted_ca: dict | None = None
) -> dict:
    """The certificate's record if the trusted root issued it, it is valid at `at` and not revoked."""
    ca, ca_bytes, ca_sig = _signed(trusted_ca or ca_part, "body")
    if trusted_ca is not None and trusted_ca["body"] != ca_part["body"]:
        raise _Fail(CERTIFICATE_UNTRUSTED, "root certificate differs from the trusted one")
    if not algorithms.verify(ca["algorithm"], ca["public_key"], ca_bytes, ca_sig):
        raise _Fail(CERTIFICATE_UNTRUSTED, "root certificate's self-signature")
    cert, cert_bytes, cert_sig = _signed(cert_part, "body")
    if cert.get("issuer") != ca["serial"] or not algorithms.verify(
        ca["algorithm"], ca["public_key"], cert_bytes, cert_sig
    ):
        raise _Fail(CERTIFICATE_UNTRUSTED, f"certificate {cert.get('serial')} not issued by root {ca['serial']}")
    for record in (ca, cert):
        if not parse_time(record["not_before"]) <= at <= parse_time(record["not_after"]):
            raise _Fail(
                CERTIFICATE_EXPIRED,
                f"{record['serial']}: {record['not_before']} – {record['not_after']}, checked at {at.isoformat()}",
            )
    if revocations is not None:
        crl, crl_bytes, crl_sig = _signed(revocations, "body")
        if crl.get("issuer") != ca["serial"] or not algorithms.verify(
            ca["algorithm"], ca["public_key"], crl_bytes, crl_sig
        ):
            raise _Fail(REVOCATIONS_INVALID)
        for entry in crl.get("revoked", []):
            if entry["serial"] in (cert["serial"], ca["serial"]):
                raise _Fail(
                    CERTIFICATE_REVOKED,
                    f"{entry['serial']} revoked at {entry['revoked_at']}: {entry.get('reason', '')}",
                )
    return cert


def verify_evidence(
    evidence: dict,
    data: bytes | None = None,
    *,
    trusted_ca: dict | None = None,
    revocations: dict | None = None,
    at: dt.datetime | None = None,
) -> Report:
    """Check an evidence package (its parts as a dict) and, when given, the delivered bytes.

    `trusted_ca` is the platform's root certificate obtained independently (the package's own copy is
    used otherwise, which proves integrity but not origin); `revocations` a newer signed list than the
    package's; `at` the moment the certificate must be valid at (default: now)."""
    at = at or dt.datetime.now(dt.UTC)
    report = Report(status=OK)
    try:
        try:
            receipt_text = evidence["receipt"]
            receipt = json.loads(receipt_text)
            report.receipt = receipt
            proof = evidence["proof"]
            root_part = evidence["root"]
            statement, statement_bytes, root_sig = _signed(root_part, "statement")
            name = statement["hash"]
        except (KeyError, TypeError, ValueError) as exc:
            raise _Fail(MALFORMED, str(exc)) from None

        if data is not None:
            d = receipt.get("digest", {})
            actual = algorithms.digest(d.get("algorithm", "sm3"), data).hex()
            if actual != d.get("value"):
                raise _Fail(DATA_MISMATCH, f"{d.get('algorithm')} {actual} ≠ {d.get('value')}")
            report.checks.append(("digest", True, actual))

        leaf = merkle.leaf_hash(name, receipt_text.encode("utf-8"))
        try:
            path = [bytes.fromhex(h) for h in proof["path"]]
            head = merkle.root_from_proof(name, leaf, int(proof["leaf_index"]), int(proof["tree_size"]), path)
        except (KeyError, TypeError, ValueError):
            head = None
        if head is None or head.hex() != statement.get("root") or int(proof["tree_size"]) != statement.get("tree_size"):
            raise _Fail(RECEIPT_TAMPERED, "inclusion proof does not lead to the signed root")
        report.checks.append(("merkle_proof", True, statement["root"]))

        try:
            cert_part, ca_part = evidence["certificate"], evidence["ca"]
            cert_record = json.loads(cert_part["body"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _Fail(MALFORMED, str(exc)) from None
        if statement.get("certificate") != cert_record.get("serial") or not algorithms.verify(
            cert_record["algorithm"], cert_record["public_key"], statement_bytes, root_sig
        ):
            raise _Fail(ROOT_SIGNATURE_INVALID)
        report.checks.append(("root_signature", True, cert_record["serial"]))

        check_certificate(
            cert_part, ca_part, at=at, revocations=revocations or evidence.get("revocations"), trusted_ca=trusted_ca
        )
        report.checks.append(("certificate", True, cert_record["serial"]))
    except _Fail as fail:
        report.status = fail.status
        report.checks.append((fail.status, False, fail.detail))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # a part that parses as JSON but lacks a field or has one of the wrong kind
        report.status = MALFORMED
        report.checks.append((MALFORMED, False, f"{type(exc).__name__}: {exc}"[:200]))
    return report


def verify_signed_record(
    evidence: dict, *, trusted_ca: dict | None = None, revocations: dict | None = None, at: dt.datetime | None = None
) -> Report:
    """Check a signed decision (approval, refusal, revocation): {"record": {"statement", "signature"},
    "certificate", "ca", "revocations"}."""
    at = at or dt.datetime.now(dt.UTC)
    report = Report(status=OK)
    try:
        try:
            statement, statement_bytes, sig = _signed(evidence["record"], "statement")
            cert = json.loads(evidence["certificate"]["body"])
            report.receipt = statement
        except (KeyError, TypeError, ValueError) as exc:
            raise _Fail(MALFORMED, str(exc)) from None
        if statement.get("certificate") != cert.get("serial") or not algorithms.verify(
            cert["algorithm"], cert["public_key"], statement_bytes, sig
        ):
            raise _Fail(SIGNED_RECORD_INVALID)
        report.checks.append(("signature", True, cert["serial"]))
        check_certificate(
            evidence["certificate"],
            evidence["ca"],
            at=at,
            revocations=revocations or evidence.get("revocations"),
            trusted_ca=trusted_ca,
        )
        report.checks.append(("certificate", True, cert["serial"]))
    except _Fail as fail:
        report.status = fail.status
        report.checks.append((fail.status, False, fail.detail))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # a part that parses as JSON but lacks a field or has one of the wrong kind
        report.status = MALFORMED
        report.checks.append((MALFORMED, False, f"{type(exc).__name__}: {exc}"[:200]))
    return report


MAX_PART = 16 * 1024 * 1024  # every genuine part is a few KB: a larger one is a ZIP bomb
PARTS = {
    "receipt.json": "receipt",
    "proof.json": "proof",
    "root.json": "root",
    "certificate.json": "certificate",
    "ca.json": "ca",
    "revocations.json": "revocations",
    "record.json": "record",
}


def read_package(blob: bytes) -> dict:
    """The parts of an evidence ZIP; receipt.json stays text (its exact bytes are the Merkle leaf)."""
    evidence: dict = {}
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            for filename, key in PARTS.items():
                if filename in archive.namelist():
                    if archive.getinfo(filename).file_size > MAX_PART:
                        raise ValueError(f"{filename} is larger than {MAX_PART} bytes")
                    text = archive.read(filename).decode("utf-8")
                    evidence[key] = text if key == "receipt" else json.loads(text)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        UnicodeDecodeError,
        NotImplementedError,
        EOFError,
    ) as exc:
        raise ValueError(MESSAGES[MALFORMED]) from exc
    return evidence


def verify_file(blob: bytes, data: bytes | None = None, **options) -> Report:
    try:
        evidence = read_package(blob)
    except ValueError:
        return Report(status=MALFORMED, checks=[(MALFORMED, False, "not an evidence ZIP")])
    if "record" in evidence:
        return verify_signed_record(evidence, **options)
    return verify_evidence(evidence, data, **options)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Verify a receipt evidence package offline.")
    parser.add_argument("file")
    parser.add_argument("--data", help="the delivered file, to check its digest")
    parser.add_argument("--trust", help="the platform's root certificate (ca.json) obtained independently")
    parser.add_argument("--revocations", help="a newer signed revocation list (revocations.json)")
    parser.add_argument("--at", help="ISO time the certificate must be valid at (default: now)")
    args = parser.parse_args(argv)
    report = run(args.file, data=args.data, trust=args.trust, revocations=args.revocations, at=args.at)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0 if report.valid else 1


def run(
    file: str,
    *,
    data: str | None = None,
    trust: str | None = None,
    revocations: str | None = None,
    at: str | None = None,
) -> Report:
    def load(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    with open(file, "rb") as f:
        blob = f.read()
    data_bytes = None
    if data:
        with open(data, "rb") as f:
            data_bytes = f.read()
    return verify_file(
        blob,
        data_bytes,
        trusted_ca=load(trust) if trust else None,
        revocations=load(revocations) if revocations else None,
        at=parse_time(at) if at else None,
    )


if __name__ == "__main__":
    sys.exit(main())
