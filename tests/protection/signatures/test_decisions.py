"""Hechi art. 40 (电子签名): a provider's approval, a refusal and a revocation are signed records,
signed with the deciding department's key and verifiable offline like receipts."""

from protection.signatures import verifier
from protection.signatures.models import SignedDecision
from sharing.services import applications, grants
from tests.protection.signatures.helpers import approved, rezip, zip_parts
from tests.sharing import factories
from tests.sharing.test_api import token_client


def package(user, decision):
    response = token_client(user).get(f"/api/signatures/decisions/{decision.uid}/evidence/")
    assert response.status_code == 200
    return response.content


def test_an_approval_is_signed_by_the_providing_department(world):
    grant = approved(world, items=["id_number", "district"])
    decision = SignedDecision.objects.get(kind="approval")
    assert (decision.grant_id, decision.application_id) == (grant.pk, grant.application_id)
    assert decision.department == world.provider_officer.department
    assert decision.certificate.key.department == world.provider_officer.department
    report = verifier.verify_file(package(world.applicant, decision))
    assert report.valid and report.receipt["kind"] == "approval" and report.receipt["grant"] == grant.pk


def test_a_refusal_and_a_revocation_are_signed(world):
    refused = applications.application_refuse(
        actor=world.provider_officer, application=factories.apply(world), reason="用途与职责无关"
    )
    grant = approved(world, items=["id_number", "district"])
    grants.grant_revoke(actor=world.provider_officer, grant=grant, reason="项目结束")
    refusal = SignedDecision.objects.get(kind="refusal")
    revocation = SignedDecision.objects.get(kind="revocation")
    assert refusal.application_id == refused.pk and "用途与职责无关" in refusal.statement
    assert revocation.grant_id == grant.pk and "项目结束" in revocation.statement
    for decision in (refusal, revocation):
        assert verifier.verify_file(package(world.applicant, decision)).valid


def test_an_altered_decision_is_reported(world):
    approved(world, items=["id_number", "district"])
    parts = zip_parts(package(world.applicant, SignedDecision.objects.get(kind="approval")))
    parts["record.json"] = parts["record.json"].replace(b"district", b"amount")
    assert verifier.verify_file(rezip(parts)).status == verifier.SIGNED_RECORD_INVALID


def test_another_department_sees_no_decision(world):
    approved(world, items=["id_number", "district"])
    from portal.roles import Role
    from tests.factories import user_with_role

    stranger = token_client(user_with_role(Role.DATA_OFFICER))
    uid = SignedDecision.objects.get().uid
    assert stranger.get(f"/api/signatures/decisions/{uid}/evidence/").status_code == 404
    assert stranger.get("/api/signatures/decisions/").json()["count"] == 0
