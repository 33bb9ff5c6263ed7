"""Hechi art. 40 数字证书: the platform's keys and the key records its root issues — validity dates,
revocation by the bureau admin only, private keys never stored in the clear."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from portal.errors import DomainError, PermissionDeniedError
from protection.signatures import algorithms, keystore, verifier
from protection.signatures.models import Certificate, SigningKey
from protection.signatures.services import keys


def test_the_root_issues_the_platform_record_with_validity_dates(db):
    cert = keys.platform_certificate()
    root = keys.root_certificate()
    assert cert.issuer == root and cert.key.algorithm == "sm2"
    record = json.loads(cert.body)
    assert record["issuer"] == root.serial and record["public_key"] == cert.key.public_key
    assert (cert.not_after - cert.not_before).days == 730
    assert (
        verifier.check_certificate(
            keys.part(cert), keys.part(root), at=timezone.now(), revocations=keys.revocation_list(root)
        )["serial"]
        == cert.serial
    )
    assert keys.platform_certificate() == cert  # reused while valid


def test_private_keys_are_stored_wrapped_only(db):
    cert = keys.platform_certificate()
    key = SigningKey.objects.get(pk=cert.key_id)
    private = keystore.unwrap(key.wrapped_private)
    assert private not in bytes(key.wrapped_private) and private.hex().encode() not in bytes(key.wrapped_private)
    signature = algorithms.sign(key.algorithm, private, key.public_key, b"x")
    assert algorithms.verify(key.algorithm, key.public_key, b"x", signature)


def test_a_revoked_record_is_replaced_on_next_use(db, bureau_admin):
    cert = keys.platform_certificate()
    keys.revoke_certificate(actor=bureau_admin, certificate=cert, reason="轮换")
    cert.refresh_from_db()
    assert keys.certificate_status(cert) == "revoked"
    assert keys.platform_certificate() != cert
    with pytest.raises(DomainError, match="已被吊销"):
        keys.revoke_certificate(actor=bureau_admin, certificate=cert, reason="再次")


def test_only_the_bureau_admin_revokes_and_a_reason_is_required(db, officer, bureau_admin):
    cert = keys.platform_certificate()
    with pytest.raises(PermissionDeniedError):
        keys.revoke_certificate(actor=officer, certificate=cert, reason="x")
    with pytest.raises(DomainError) as missing:
        keys.revoke_certificate(actor=bureau_admin, certificate=cert, reason=" ")
    assert missing.value.errors["reason"]


def test_an_expired_record_is_not_used_to_sign(db):
    old = keys.issue_certificate(
        owner=SigningKey.Owner.PLATFORM,
        not_before=timezone.now() - dt.timedelta(days=10),
        not_after=timezone.now() - dt.timedelta(days=1),
    )
    assert keys.certificate_status(old) == "expired"
    assert keys.platform_certificate() != old
    with pytest.raises(DomainError):
        keys.issue_certificate(
            owner=SigningKey.Owner.PLATFORM, not_before=timezone.now(), not_after=timezone.now() - dt.timedelta(days=1)
        )


def test_the_certificates_page_and_revocation_in_the_browser(db, client, bureau_admin, officer):
    cert = keys.platform_certificate()
    client.force_login(officer)
    assert client.get("/signatures/certificates/").status_code == 403
    client.force_login(bureau_admin)
    page = client.get("/signatures/certificates/")
    assert page.status_code == 200 and cert.serial in page.content.decode()
    client.post(f"/signatures/certificates/{cert.pk}/revoke/", {"reason": "私钥疑似泄露"})
    cert.refresh_from_db()
    assert cert.revoked_at is not None and cert.revocation_reason == "私钥疑似泄露"


def test_sm2_signs_and_verifies_and_rejects_a_wrong_message():
    for algorithm in algorithms.ALGORITHMS:
        private, public = algorithms.generate(algorithm)
        signature = algorithms.sign(algorithm, private, public, b"receipt root")
        assert algorithms.verify(algorithm, public, b"receipt root", signature)
        assert not algorithms.verify(algorithm, public, b"receipt rooT", signature)
        assert not algorithms.verify(algorithm, public, b"receipt root", "zz")


def test_an_sm2_key_whose_point_begins_with_04_signs_and_verifies():
    """gmssl's constructor strips "04" digits off such a public key (about one key in 256): the portal
    sets the key itself, or one signature in a few hundred would not verify."""
    from gmssl import sm2

    private = bytes.fromhex("317a404511186c374e8e2dc386369f9cffeb994cc39e0ec95bf0b0e8ccb83557")
    public = sm2.CryptSM2(private_key=private.hex(), public_key="")._kg(
        int(private.hex(), 16), sm2.default_ecc_table["g"]
    )
    assert public.startswith("04")
    signature = algorithms.sign("sm2", private, public, b"receipt root")
    assert algorithms.verify("sm2", public, b"receipt root", signature)


def test_a_refused_revocation_is_a_message_on_the_certificates_page_and_changes_nothing(db, client, bureau_admin):
    cert = keys.platform_certificate()
    client.force_login(bureau_admin)
    answer = client.post(f"/signatures/certificates/{cert.pk}/revoke/", {"reason": " "}, follow=True)
    assert answer.status_code == 200 and "请填写吊销原因。" in answer.content.decode()
    cert.refresh_from_db()
    assert cert.revoked_at is None
    client.post(f"/signatures/certificates/{cert.pk}/revoke/", {"reason": "私钥疑似泄露"})
    again = client.post(f"/signatures/certificates/{cert.pk}/revoke/", {"reason": "再次吊销"}, follow=True)
    assert "该证书已被吊销。" in again.content.decode()
    cert.refresh_from_db()
    assert cert.revocation_reason == "私钥疑似泄露"


def test_the_bureau_admin_issues_a_department_key_record_that_signs_from_then_on(db, client, bureau_admin, officer):
    department = officer.department
    before = keys.department_certificate(department)
    client.force_login(bureau_admin)
    answer = client.post("/signatures/certificates/issue/", {"department": department.pk, "days": "30"})
    assert answer.status_code == 302
    issued = Certificate.objects.filter(key__department=department).latest("id")
    assert issued != before and (issued.not_after - issued.not_before).days == 30
    assert keys.department_certificate(department) == issued
    entry = AuditEntry.objects.filter(action="signatures.certificate.issue").latest("id")
    assert entry.actor_id == bureau_admin.pk and entry.detail["department"] == department.pk


def test_issuing_with_a_bad_validity_is_a_form_error_and_issues_nothing(db, client, bureau_admin, officer):
    client.force_login(bureau_admin)
    assert client.get("/signatures/certificates/").status_code == 200  # makes the platform's own record
    count = Certificate.objects.count()
    for days in ("0", "99999", "abc"):
        answer = client.post("/signatures/certificates/issue/", {"days": days})
        assert answer.status_code == 400 and "有效天数须在 1 到 3650 之间。" in answer.content.decode()
    assert Certificate.objects.count() == count
    client.force_login(officer)
    assert client.post("/signatures/certificates/issue/", {"days": "30"}).status_code == 403
    assert Certificate.objects.count() == count


def test_the_api_issues_a_platform_key_record_and_refuses_an_unknown_department(db, bureau_admin):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(bureau_admin)
    created = api.post("/api/signatures/certificates/issue/", {"days": 90}, format="json")
    assert created.status_code == 201 and created.json()["owner"] == "platform"
    assert keys.platform_certificate().pk == created.json()["id"]
    unknown = api.post("/api/signatures/certificates/issue/", {"days": 90, "department": 999999}, format="json")
    assert unknown.status_code == 400 and "department" in unknown.json().get("errors", unknown.json())
    assert api.post("/api/signatures/certificates/issue/", {"days": 0}, format="json").status_code == 400
