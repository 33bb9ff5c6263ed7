"""Each share type's path (S1, S2, S3): unconditional to the bureau (or granted at once when the
bureau says so), conditional to the provider's data officers, not-shared refused."""

import pytest

from audit.models import AuditEntry
from portal.errors import DomainError, PermissionDeniedError
from portal.models import Notification
from sharing.models import Application, Deadline, Grant
from sharing.services import applications, scenarios
from tests.sharing import factories


def test_conditional_application_goes_to_the_providers_data_officers(world):
    application = factories.apply(world)
    assert application.status == Application.Status.SUBMITTED
    assert application.review_by == Application.Reviewer.PROVIDER
    deadline = Deadline.objects.get(application=application)
    assert deadline.department == world.provider and not deadline.by_bureau
    assert Notification.objects.filter(user=world.provider_officer, kind="sharing.application_received").exists()
    assert not Notification.objects.filter(user=world.reviewer, kind="sharing.application_received").exists()
    assert applications.may_decide(world.provider_officer, application)
    assert not applications.may_decide(world.reviewer, application)  # not before it is escalated
    assert not applications.may_decide(world.applicant_officer, application)


def test_unconditional_application_goes_to_the_bureau_with_defaults(db):
    w = factories.world(share_type="unconditional")
    application = applications.application_submit(actor=w.applicant, entry=w.entry, purpose="核验身份")
    assert application.review_by == Application.Reviewer.BUREAU
    assert application.items == [i["key"] for i in factories.ITEMS] and application.mode == "query"
    assert Deadline.objects.get(application=application).by_bureau
    assert applications.may_decide(w.reviewer, application)
    assert not applications.may_decide(w.provider_officer, application)  # no provider approval (Lhasa art. 19)
    grant = applications.application_approve(actor=w.reviewer, application=application)
    assert grant.items == application.items and grant.masked_items == ["id_number", "name"]


def test_unconditional_application_is_granted_at_once_when_the_bureau_switches_it_on(db, bureau_admin):
    w = factories.world(share_type="unconditional")
    scenarios.policy_set(actor=bureau_admin, auto_grant_unconditional=True)
    application = applications.application_submit(actor=w.applicant, entry=w.entry, purpose="核验身份", mode="compare")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.auto_granted
    assert "自动授权" in application.decision_note
    assert Grant.objects.get(application=application).mode == "compare"
    assert not Deadline.objects.filter(application=application, closed_at__isnull=True).exists()


def test_an_application_for_a_not_shared_entry_is_refused(db):
    w = factories.world(share_type="not_shared", rows=False)
    with pytest.raises(DomainError) as refused:
        factories.apply(w)
    assert refused.value.code == "not_shared" and "协调申请" in str(refused.value.message)
    assert not Application.objects.exists()


def test_conditional_application_must_state_everything_and_stay_within_the_conditions(db):
    w = factories.world(modes=("compare",))
    with pytest.raises(DomainError) as error:
        factories.apply(w, scenario_text="", items=["id_number", "nope"], mode="pull")
    assert set(error.value.errors) == {"scenario_text", "items", "mode"}
    assert "比对" in error.value.errors["mode"][0]
    assert not Application.objects.exists() and not Deadline.objects.exists()  # no partial write


def test_own_data_duplicates_and_people_without_a_department_are_refused(world, public_user):
    with pytest.raises(DomainError):
        applications.application_submit(
            actor=world.provider_officer,
            entry=world.entry,
            purpose="x",
            scenario_text="x",
            items=["name"],
            mode="query",
            end_date=factories.timezone.localdate(),
        )
    factories.apply(world)
    with pytest.raises(DomainError) as duplicate:
        factories.apply(world)
    assert duplicate.value.code == "duplicate"
    with pytest.raises(PermissionDeniedError):
        applications.application_submit(actor=public_user, entry=world.entry, purpose="x")


def test_every_application_writes_an_audit_entry(world):
    application = factories.apply(world)
    entry = AuditEntry.objects.get(action="sharing.application.submit", object_id=str(application.pk))
    assert entry.actor_id == world.applicant.pk and entry.owner_department_id == world.provider.pk
