"""O3: 依申请开放 data needs an approved application; the provider answers within the deadline in
working days; the applicant may ask the bureau to re-review (Lhasa art. 30)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from openness.models import Application
from openness.services import applications
from openness.tasks import sweep_overdue_applications
from portal import workdays
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.models import Notification
from portal.roles import Role
from tests.factories import user_with_role
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, open_type="on_application", open_condition="用于科研，须申请")
    return dataset


def submit(dataset, user):
    return applications.application_submit(
        actor=user, dataset=dataset, purpose="研究企业分布", intended_use="统计分析，不对外提供"
    )


def test_the_answer_is_due_in_working_days_of_the_setting(dataset, public_user, settings):
    settings.OPEN_DATA = {"APPLICATION_WORKING_DAYS": 3}
    application = submit(dataset, public_user)
    assert application.status == "pending"
    assert application.due_at == workdays.add_working_days(application.submitted_at, 3)
    assert Notification.objects.filter(kind="openness.application").exists()


def test_the_provider_approves_and_the_applicant_may_download(client, dataset, public_user, officer):
    client.force_login(public_user)
    assert client.get(reverse("openness:download", args=[dataset.pk, "csv"])).status_code == 403
    application = submit(dataset, public_user)
    applications.application_approve(actor=officer, application=application, answer="同意，仅限科研使用")
    application.refresh_from_db()
    assert application.status == "approved" and application.expires_at > timezone.now()
    assert client.get(reverse("openness:dataset", args=[dataset.pk])).context["allowed"]


def test_only_the_providing_department_answers(dataset, public_user):
    application = submit(dataset, public_user)
    with pytest.raises(PermissionDeniedError):
        applications.application_approve(actor=user_with_role(Role.DATA_OFFICER), application=application)


def test_a_refusal_needs_reasons_and_can_be_re_reviewed_once_by_the_bureau(dataset, public_user, officer, reviewer):
    application = submit(dataset, public_user)
    with pytest.raises(DomainError):
        applications.application_refuse(actor=officer, application=application, answer="")
    applications.application_refuse(actor=officer, application=application, answer="用途与开放条件不符")
    with pytest.raises(PermissionDeniedError):
        applications.application_request_rereview(actor=officer, application=application, reason="x")
    applications.application_request_rereview(actor=public_user, application=application, reason="用途为公益研究")
    application.refresh_from_db()
    assert application.status == "rereview" and application.rereview_due_at > application.rereview_requested_at
    with pytest.raises(PermissionDeniedError):
        applications.application_rereview_decide(actor=officer, application=application, approve=True, comment="x")
    applications.application_rereview_decide(
        actor=reviewer, application=application, approve=True, comment="用途符合开放条件，同意开放"
    )
    application.refresh_from_db()
    assert application.status == "approved" and application.expires_at is not None
    with pytest.raises(InvalidTransitionError):
        applications.application_request_rereview(actor=public_user, application=application, reason="again")
    actions = set(AuditEntry.objects.filter(action__startswith="openness.application").values_list("action", flat=True))
    assert {
        "openness.application.submit",
        "openness.application.refuse",
        "openness.application.rereview_request",
        "openness.application.rereview_decide",
    } <= actions


def test_rereview_of_an_unanswered_application_only_after_its_deadline(dataset, public_user):
    application = submit(dataset, public_user)
    with pytest.raises(InvalidTransitionError):
        applications.application_request_rereview(actor=public_user, application=application, reason="未答复")
    Application.objects.filter(pk=application.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    applications.application_request_rereview(actor=public_user, application=application, reason="逾期未答复")
    assert Application.objects.get(pk=application.pk).status == "rereview"


def test_overdue_applications_are_warned_once(dataset, public_user, officer):
    application = submit(dataset, public_user)
    Application.objects.filter(pk=application.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert sweep_overdue_applications() == 1
    assert sweep_overdue_applications() == 0
    assert Notification.objects.filter(user=officer, kind="openness.application.overdue").count() == 1
    assert Notification.objects.filter(user=public_user, kind="openness.application.overdue").count() == 1


def test_unconditional_datasets_need_no_application(officer, reviewer, public_user):
    dataset, _v = published_dataset(officer, reviewer)
    with pytest.raises(InvalidTransitionError):
        submit(dataset, public_user)


def test_staff_cannot_apply_and_one_open_application_at_a_time(dataset, staff, public_user):
    with pytest.raises(PermissionDeniedError):
        submit(dataset, staff)
    submit(dataset, public_user)
    with pytest.raises(InvalidTransitionError):
        submit(dataset, public_user)


def test_the_application_pages(client, dataset, public_user, officer):
    client.force_login(public_user)
    response = client.post(
        reverse("openness:apply", args=[dataset.pk]), {"purpose": "研究企业分布", "intended_use": "统计分析"}
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{application.pk}/")
    client.force_login(officer)
    page = client.get(reverse("openness:application", args=[application.pk])).content.decode()
    assert 'data-testid="answer-application"' in page
    client.post(reverse("openness:application_answer", args=[application.pk]), {"decision": "refuse", "answer": ""})
    assert Application.objects.get().status == "pending"  # a refusal without reasons is refused
    client.post(
        reverse("openness:application_answer", args=[application.pk]), {"decision": "approve", "answer": "同意"}
    )
    assert Application.objects.get().status == "approved"
    client.force_login(user_with_role(Role.PUBLIC))
    assert client.get(reverse("openness:application", args=[application.pk])).status_code == 404


def test_what_waits_is_in_the_inboxes(dataset, public_user, officer, reviewer):
    from portal.inbox import inbox_for

    application = submit(dataset, public_user)
    waiting = [i for i in inbox_for(officer) if i.kind == "openness.application"]
    assert len(waiting) == 1 and waiting[0].deadline == application.due_at
    applications.application_refuse(actor=officer, application=application, answer="用途不符")
    applications.application_request_rereview(actor=public_user, application=application, reason="公益研究")
    assert [i.kind for i in inbox_for(reviewer) if i.kind.startswith("openness")] == ["openness.rereview"]


def test_withdrawing_the_dataset_answers_the_applications_still_waiting(dataset, officer, reviewer):
    """A withdrawn dataset can no longer be granted: applications waiting for an answer are refused
    and re-reviews before the bureau upheld, with the withdrawal as the reason, recorded and told."""
    from openness.services import publishing

    waiting = submit(dataset, user_with_role(Role.PUBLIC))
    refused = submit(dataset, user_with_role(Role.PUBLIC))
    applications.application_refuse(actor=officer, application=refused, answer="用途不符")
    applications.application_request_rereview(actor=refused.applicant, application=refused, reason="理由充分")
    approved = submit(dataset, user_with_role(Role.PUBLIC))
    applications.application_approve(actor=officer, application=approved, answer="同意")

    publishing.dataset_withdraw(actor=officer, dataset=dataset, reason="数据停止更新")
    waiting.refresh_from_db()
    refused.refresh_from_db()
    approved.refresh_from_db()
    assert waiting.status == Application.Status.REFUSED and "数据停止更新" in waiting.answer
    assert refused.status == Application.Status.REFUSED and "数据停止更新" in refused.rereview_comment
    assert approved.status == Application.Status.APPROVED  # answered before; downloads end with the dataset
    assert Notification.objects.filter(user=waiting.applicant, kind="openness.application.refused").exists()
    assert Notification.objects.filter(user=refused.applicant, kind="openness.application.rereviewed").exists()
    assert AuditEntry.objects.filter(
        action="openness.application.refuse", object_id=str(waiting.pk), detail__cause="openness.dataset.withdraw"
    ).exists()
    assert not Application.objects.filter(dataset=dataset, status__in=["pending", "rereview"]).exists()
