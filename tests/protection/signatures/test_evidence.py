"""Sixian art. 28, Hechi art. 30 and 40: the evidence package of a delivery is downloadable by the
requesting and providing departments and the bureau, from the grant page and the API, and its
checks — digest, Merkle proof, signature, certificate — each report what failed."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.roles import Role
from protection.signatures import verifier
from protection.signatures.models import Certificate
from protection.signatures.services import keys
from tests.factories import user_with_role
from tests.protection.signatures.helpers import approved, delivered, rezip, zip_parts
from tests.sharing.test_api import token_client


@pytest.fixture
def evidence(world):
    """(delivered bytes, receipt, its evidence ZIP as the requester downloads it from the API)."""
    grant = approved(world, items=["id_number", "district"])
    body, receipt = delivered(world, grant, district="西山县")
    response = token_client(world.applicant).get(f"/api/signatures/receipts/{receipt.uid}/evidence/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return body, receipt, response.content


def check(blob, data=None, **options):
    return verifier.verify_file(blob, data, **options)


def test_a_genuine_receipt_and_its_data_verify(evidence):
    body, receipt, blob = evidence
    report = check(blob, body)
    assert report.valid, report.as_dict()
    assert [c for c, _passed, _d in report.checks] == ["digest", "merkle_proof", "root_signature", "certificate"]
    assert set(zip_parts(blob)) >= {
        "receipt.json",
        "proof.json",
        "root.json",
        "certificate.json",
        "ca.json",
        "revocations.json",
        "README.txt",
    }


def test_a_tampered_receipt_is_reported_as_tampered(evidence):
    body, receipt, blob = evidence
    parts = zip_parts(blob)
    parts["receipt.json"] = parts["receipt.json"].replace(b'"rows":5', b'"rows":1')
    assert b'"rows":1' in parts["receipt.json"]
    assert check(rezip(parts)).status == verifier.RECEIPT_TAMPERED


def test_the_receipt_of_another_delivery_is_reported_as_such(world, evidence):
    body, receipt, blob = evidence
    other, _receipt = delivered(world, approved(world, items=["id_number", "district"]), district="东城区")
    report = check(blob, other)
    assert report.status == verifier.DATA_MISMATCH and "另一次交付" in report.message


def test_a_forged_root_is_reported_as_a_bad_signature(evidence):
    body, receipt, blob = evidence
    parts = zip_parts(blob)
    root = json.loads(parts["root.json"])
    root["signature"] = root["signature"][:-4] + ("0000" if root["signature"][-4:] != "0000" else "1111")
    parts["root.json"] = json.dumps(root).encode()
    assert check(rezip(parts), body).status == verifier.ROOT_SIGNATURE_INVALID


def test_an_expired_certificate_is_reported_as_expired(evidence):
    body, receipt, blob = evidence
    cert = json.loads(json.loads(zip_parts(blob)["certificate.json"])["body"])
    after = verifier.parse_time(cert["not_after"]) + dt.timedelta(days=1)
    report = check(blob, body, at=after)
    assert report.status == verifier.CERTIFICATE_EXPIRED
    assert check(blob, body, at=verifier.parse_time(cert["not_before"]) + dt.timedelta(seconds=1)).valid


def test_a_revoked_certificate_is_reported_as_revoked(world, evidence, bureau_admin):
    body, receipt, blob = evidence
    cert = Certificate.objects.get(serial=json.loads(json.loads(zip_parts(blob)["certificate.json"])["body"])["serial"])
    keys.revoke_certificate(actor=bureau_admin, certificate=cert, reason="私钥疑似泄露")
    fresh = token_client(world.applicant).get(f"/api/signatures/receipts/{receipt.uid}/evidence/").content
    assert check(fresh, body).status == verifier.CERTIFICATE_REVOKED
    # The package made before the revocation carries the old list; the portal's verifier reads today's.
    api = token_client(world.applicant)
    answer = api.post(
        "/api/signatures/verify/", {"evidence": _file(blob), "delivered": _file(body, "data.json")}, format="multipart"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "certificate_revoked"
    assert answer.json()["message"] == "签名证书已被吊销。"


def test_a_certificate_not_issued_by_the_trusted_root_is_untrusted(evidence, settings):
    body, receipt, blob = evidence
    settings.SIGNATURES = {"ALGORITHM": "ecdsa-p256"}
    other_root = keys.part(keys.root_certificate())
    assert check(blob, body, trusted_ca=other_root).status == verifier.CERTIFICATE_UNTRUSTED


def _file(data: bytes, name="evidence.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_verify_api_checks_a_genuine_package(world, evidence):
    body, receipt, blob = evidence
    answer = token_client(world.provider_officer).post(
        "/api/signatures/verify/", {"evidence": _file(blob), "delivered": _file(body, "data.json")}, format="multipart"
    )
    assert answer.status_code == 200 and answer.json()["valid"] is True
    assert answer.json()["receipt"]["uid"] == str(receipt.uid)
    bad = token_client(world.provider_officer).post(
        "/api/signatures/verify/", {"evidence": _file(b"not a zip")}, format="multipart"
    )
    assert bad.status_code == 200 and bad.json()["status"] == "malformed"


def test_the_command_verifies_offline_with_the_package_and_the_data(evidence, tmp_path, capsys):
    body, receipt, blob = evidence
    package, data, ca = tmp_path / "e.zip", tmp_path / "d.json", tmp_path / "ca.json"
    package.write_bytes(blob)
    data.write_bytes(body)
    ca.write_bytes(zip_parts(blob)["ca.json"])
    call_command("verify_receipt", str(package), data=str(data), trust=str(ca))
    assert '"valid": true' in capsys.readouterr().out
    data.write_bytes(body + b" ")
    with pytest.raises(CommandError, match="data_mismatch"):
        call_command("verify_receipt", str(package), data=str(data))


def test_the_verifier_runs_without_django(evidence, tmp_path):
    body, receipt, blob = evidence
    (tmp_path / "e.zip").write_bytes(blob)
    (tmp_path / "d.json").write_bytes(body)
    code = (
        "import sys, runpy; sys.modules['django'] = None; "
        "sys.argv = ['verifier', 'e.zip', '--data', 'd.json']; "
        "runpy.run_module('protection.signatures.verifier', run_name='__main__')"
    )
    import os

    import django

    root = os.path.dirname(os.path.dirname(django.__file__))
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": os.getcwd() + os.pathsep + root, "PATH": os.environ.get("PATH", "")},
    )
    assert done.returncode == 0, done.stderr
    assert '"status": "ok"' in done.stdout


def test_requester_provider_and_bureau_download_the_package_others_do_not(world, evidence, reviewer, client):
    body, receipt, blob = evidence
    url = f"/signatures/receipts/{receipt.uid}/evidence.zip"
    for user in (world.applicant, world.provider_officer, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    stranger = user_with_role(Role.DATA_OFFICER)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert token_client(stranger).get(f"/api/signatures/receipts/{receipt.uid}/evidence/").status_code == 404


def test_the_grant_page_lists_its_receipts_with_their_evidence_links(world, evidence, client):
    body, receipt, blob = evidence
    client.force_login(world.provider_officer)
    page = client.get(f"/sharing/grants/{receipt.grant_id}/").content.decode()
    assert f"/signatures/receipts/{receipt.uid}/evidence.zip" in page
    assert "同意共享" in page  # the signed approval


def test_ecdsa_p256_by_one_setting(world, settings):
    settings.SIGNATURES = {"ALGORITHM": "ecdsa-p256"}
    body, receipt = delivered(world, approved(world, items=["id_number", "district"]))
    blob = token_client(world.applicant).get(f"/api/signatures/receipts/{receipt.uid}/evidence/").content
    report = check(blob, body)
    assert report.valid, report.as_dict()
    assert json.loads(zip_parts(blob)["receipt.json"])["digest"]["algorithm"] == "sha256"
    assert json.loads(json.loads(zip_parts(blob)["certificate.json"])["body"])["algorithm"] == "ecdsa-p256"
    assert timezone.now()


def test_a_package_with_parts_of_the_wrong_shape_is_malformed_never_an_error(evidence):
    body, receipt, blob = evidence
    for name, content in [
        ("certificate.json", b'{"body": "{}", "signature": "00"}'),
        ("proof.json", b"[]"),
        ("root.json", b'{"statement": "[]", "signature": 1}'),
        ("ca.json", b'"x"'),
    ]:
        parts = zip_parts(blob)
        parts[name] = content
        report = check(rezip(parts), body)
        assert not report.valid and report.status in (
            verifier.MALFORMED,
            verifier.ROOT_SIGNATURE_INVALID,
            verifier.RECEIPT_TAMPERED,
            verifier.CERTIFICATE_UNTRUSTED,
        ), name
    bomb = zip_parts(blob)
    bomb["proof.json"] = b" " * (verifier.MAX_PART + 1)
    assert check(rezip(bomb)).status == verifier.MALFORMED


def test_the_receipts_api_lists_a_grants_receipts_for_either_side(world, evidence):
    body, receipt, blob = evidence
    for user in (world.applicant, world.provider_officer):
        listed = token_client(user).get("/api/signatures/receipts/", {"grant_id": receipt.grant_id}).json()
        assert [r["uid"] for r in listed["results"]] == [str(receipt.uid)]
        assert listed["results"][0]["digest"] == receipt.digest and listed["results"][0]["sealed"] is True
    assert token_client(world.applicant).get("/api/signatures/receipts/", {"grant_id": 0}).json()["count"] == 0
