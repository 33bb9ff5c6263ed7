"""S7 objections (Lhasa art. 23) and S3 coordination requests (Lhasa art. 19 ¶3)."""

import pytest

from portal.errors import ConflictError, DomainError, PermissionDeniedError
from portal.models import Notification
from sharing.models import Coordination, Deadline, Objection
from sharing.services import applications, coordination, objections
from tests.sharing import factories


def test_the_provider_confirms_or_corrects_an_objection_within_its_deadline(world):
    grant = applications.application_approve(actor=world.provider_officer, application=factories.apply(world))
    with pytest.raises(DomainError):
        objections.objection_raise(
            actor=world.applicant, grant=grant, rows="第 3 行", items=["amount"], reason="金额有误"
        )
    objection = objections.objection_raise(
        actor=world.applicant, grant=grant, rows="身份证号尾号 1234 的记录", items=["name"], reason="姓名与户籍不一致"
    )
    deadline = Deadline.objects.get(objection=objection)
    assert deadline.department == world.provider and deadline.escalates
    assert Notification.objects.filter(user=world.provider_officer, kind="sharing.objection").exists()
    with pytest.raises(PermissionDeniedError):
        objections.objection_answer(actor=world.applicant_officer, objection=objection, corrected=True, answer="x")
    objections.objection_answer(
        actor=world.provider_officer, objection=objection, corrected=True, answer="已按户籍信息更正并重新归集"
    )
    objection.refresh_from_db()
    deadline.refresh_from_db()
    assert objection.status == Objection.Status.CORRECTED and deadline.closed_at and not deadline.overdue
    with pytest.raises(ConflictError):
        objections.objection_answer(actor=world.provider_officer, objection=objection, corrected=False, answer="y")


def test_only_the_holder_department_raises_an_objection(world):
    grant = applications.application_approve(actor=world.provider_officer, application=factories.apply(world))
    with pytest.raises(PermissionDeniedError):
        objections.objection_raise(actor=world.provider_officer, grant=grant, rows="x", items=["name"], reason="x")


def test_coordination_goes_to_the_provider_then_to_the_bureau(db):
    w = factories.world(share_type="not_shared", rows=False)
    request = coordination.coordination_open(actor=w.applicant, entry=w.entry, need="办理案件需核实违法记录")
    assert Deadline.objects.get(coordination=request).department == w.provider
    with pytest.raises(DomainError):
        coordination.coordination_open(actor=w.applicant, entry=w.entry, need="again")
    coordination.coordination_answer(
        actor=w.provider_officer, coordination=request, agreed=False, answer="涉及刑事案件信息，法律不允许共享"
    )
    with pytest.raises(PermissionDeniedError):
        coordination.coordination_escalate(actor=w.provider_officer, coordination=request)
    coordination.coordination_escalate(actor=w.applicant, coordination=request)
    assert Notification.objects.filter(user=w.reviewer, kind="sharing.escalated").exists()
    with pytest.raises(PermissionDeniedError):
        coordination.coordination_conclude(actor=w.provider_officer, coordination=request, conclusion="x")
    coordination.coordination_conclude(
        actor=w.reviewer, coordination=request, conclusion="已提请市信息化领导小组协调，同意以比对方式提供"
    )
    request.refresh_from_db()
    assert request.status == Coordination.Status.CONCLUDED


def test_coordination_is_only_for_not_shared_data(world):
    with pytest.raises(DomainError) as error:
        coordination.coordination_open(actor=world.applicant, entry=world.entry, need="x")
    assert error.value.code == "shareable"
