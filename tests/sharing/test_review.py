"""S2 review: the provider approves narrowed (minimum grant, Lhasa art. 22) or refuses with a reason;
the bureau rules only once the application was escalated; renewals reference the old grant."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from portal.errors import ConflictError, DomainError, PermissionDeniedError
from portal.models import Notification
from sharing.models import Application, Deadline, Grant
from sharing.services import applications, deadlines, grants
from tests.sharing import factories


def test_a_narrowed_approval_grants_only_what_was_approved(world):
    application = factories.apply(
        world, items=["id_number", "name", "district", "amount"], mode="pull", unmask_requested=["name"]
    )
    end = timezone.localdate() + dt.timedelta(days=30)
    grant = applications.application_approve(
        actor=world.provider_officer,
        application=application,
        items=["id_number", "district"],
        mode="query",
        end_date=end,
    )
    assert grant.items == ["id_number", "district"] and grant.mode == "query" and grant.end_date == end
    assert grant.masked_items == ["id_number"]  # sensitive, not explicitly unmasked
    assert grant.holder_department == world.department and grant.provider_department == world.provider
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.decided_by == world.provider_officer
    entry = AuditEntry.objects.get(action="sharing.application.approve", object_id=str(application.pk))
    assert sorted(entry.detail["narrowed"]) == ["end_date", "items", "mode"]
    assert Deadline.objects.get(application=application).closed_at is not None
    assert Notification.objects.filter(user=world.applicant, kind="sharing.application_decided").exists()


def test_sensitive_items_are_unmasked_only_when_asked_for_and_explicitly_allowed(world):
    application = factories.apply(world, unmask_requested=["name"])
    with pytest.raises(DomainError) as error:
        applications.application_approve(
            actor=world.provider_officer, application=application, unmasked_items=["id_number"]
        )  # never asked for
    assert "unmasked_items" in error.value.errors
    grant = applications.application_approve(
        actor=world.provider_officer, application=application, unmasked_items=["name"]
    )
    assert grant.masked_items == ["id_number"]


@pytest.mark.parametrize(
    "change", [{"items": ["amount"]}, {"mode": "pull"}, {"end_date": dt.date(2099, 1, 1)}, {"items": []}]
)
def test_an_approval_cannot_grant_more_than_was_asked(world, change):
    application = factories.apply(world, items=["id_number", "district"], mode="query")
    with pytest.raises(DomainError):
        applications.application_approve(actor=world.provider_officer, application=application, **change)
    assert not Grant.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_refusal_needs_a_reason_and_only_the_reviewer_decides(world, make_user):
    application = factories.apply(world)
    with pytest.raises(PermissionDeniedError):
        applications.application_approve(actor=world.applicant_officer, application=application)
    with pytest.raises(DomainError) as error:
        applications.application_refuse(actor=world.provider_officer, application=application, reason=" ")
    assert error.value.code == "reason_required"
    applications.application_refuse(
        actor=world.provider_officer, application=application, reason="不符合共享条件：仅向民政部门提供"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED and "民政" in application.decision_note
    with pytest.raises(ConflictError) as late:
        applications.application_approve(actor=world.provider_officer, application=application)
    assert "已经办理" in str(late.value.message)


def test_the_bureau_rules_in_the_providers_place_once_escalated(world):
    application = factories.apply(world)
    with pytest.raises(PermissionDeniedError):
        applications.application_approve(actor=world.reviewer, application=application)
    deadlines.sweep_deadlines(now=timezone.now() + dt.timedelta(days=30))
    application.refresh_from_db()
    assert application.status == Application.Status.ESCALATED
    grant = applications.application_approve(actor=world.reviewer, application=application, items=["district"])
    assert grant.items == ["district"]


def test_cancel_by_the_applicant_department(world):
    application = factories.apply(world)
    with pytest.raises(PermissionDeniedError):
        applications.application_cancel(actor=world.provider_officer, application=application)
    applications.application_cancel(actor=world.applicant_officer, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.CANCELLED


def test_renewal_references_the_old_grant_which_ends_when_the_new_one_starts(world):
    old = applications.application_approve(actor=world.provider_officer, application=factories.apply(world))
    renewal = factories.apply(world, renews=old, end_date=timezone.localdate() + dt.timedelta(days=200))
    assert renewal.renews == old
    with pytest.raises(DomainError):
        factories.apply(world, renews=old)  # one renewal at a time
    new = applications.application_approve(actor=world.provider_officer, application=renewal)
    old.refresh_from_db()
    assert old.status == Grant.Status.RENEWED and new.status == Grant.Status.ACTIVE
    grants.grant_revoke(actor=world.provider_officer, grant=new, reason="停止提供")
    with pytest.raises(DomainError):
        factories.apply(world, renews=new)  # a revoked grant is not renewed: apply anew


def test_nobody_decides_their_own_application(db):
    """Separation of duties: a bureau account that also applies for data (staff and reviewer roles)
    cannot grant its own unconditional application; another reviewer can."""
    from portal.roles import Role
    from tests.factories import UserFactory, user_with_role

    w = factories.world(share_type="unconditional")
    both = UserFactory(roles=[Role.DEPARTMENT_STAFF, Role.BUREAU_REVIEWER])
    application = applications.application_submit(
        actor=both,
        entry=w.entry,
        purpose="核定",
        scenario_text="审核",
        items=["district"],
        mode="query",
        end_date=timezone.localdate() + dt.timedelta(days=30),
    )
    assert application.review_by == Application.Reviewer.BUREAU
    assert not applications.may_decide(both, application)
    with pytest.raises(PermissionDeniedError):
        applications.application_approve(actor=both, application=application)
    assert applications.application_approve(actor=user_with_role(Role.BUREAU_REVIEWER), application=application)
