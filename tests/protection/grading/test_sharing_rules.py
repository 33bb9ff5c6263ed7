"""The grade drives sharing (Sixian art. 39, Lhasa art. 39; docs/grading.md): masking from level 3,
the bureau's co-approval and a shorter grant for level 4 and 重要数据, 核心数据 only by the bureau admin."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from catalog.models import DataItem
from portal.errors import DomainError, PermissionDeniedError
from portal.roles import Role
from sharing.models import Grant
from sharing.services import applications, grade_rules, use
from tests.factories import user_with_role
from tests.sharing import factories


@pytest.fixture
def world(db):
    return factories.world()


def _grade(world, *, item=None, level=None, category=None, entry_level=None, entry_category=None):
    version = world.entry.published_version
    if item:
        DataItem.objects.filter(version=version, key=item).update(
            **{k: v for k, v in (("grade_level", level), ("grade_category", category)) if v is not None}
        )
    if entry_level or entry_category:
        type(version).objects.filter(pk=version.pk).update(
            **{k: v for k, v in (("grade_level", entry_level), ("grade_category", entry_category)) if v}
        )


def _apply(world, **kwargs):
    return factories.apply(world, items=["district", "amount"], **kwargs)


def test_an_item_graded_sensitive_is_masked_in_a_share_unless_the_grant_names_it(world):
    _grade(world, item="district", level=3)  # not ticked 敏感: the grade alone masks it
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world))
    assert grant.masked_items == ["district"]
    row = use.grant_query(actor=world.applicant, grant=grant)["rows"][0]
    assert row["district"].endswith("*") and row["district"] not in {"东城区", "西山县", "南湖区"}

    unmasked = applications.application_approve(
        actor=world.provider_officer,
        application=_apply(world, mode="statistics", unmask_requested=["district"]),
        unmasked_items=["district"],
    )
    assert unmasked.unmasked_items == ["district"] and unmasked.masked_items == []


def test_an_item_graded_below_the_sensitive_level_is_not_masked(world):
    _grade(world, item="district", level=2)
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world))
    assert grant.masked_items == []


def test_the_sensitive_level_is_a_setting(world, settings):
    settings.PROTECTION_SENSITIVE_LEVEL = 2
    _grade(world, item="district", level=2)
    _grade(world, item="amount", level=1)
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world))
    assert grant.masked_items == ["district"]


@pytest.mark.parametrize(
    "grade",
    [{"item": "amount", "level": 4}, {"item": "amount", "category": "important"}, {"entry_category": "important"}],
)
def test_highly_sensitive_or_important_data_needs_the_bureaus_co_approval(world, grade):
    _grade(world, **grade)
    application = _apply(world)
    with pytest.raises(DomainError) as refused:
        applications.application_approve(actor=world.provider_officer, application=application)
    assert refused.value.code == "co_approval_required" and "会签" in str(refused.value.message)
    assert not Grant.objects.exists()

    with pytest.raises(PermissionDeniedError):
        grade_rules.application_co_approve(actor=world.provider_officer, application=application)
    grade_rules.application_co_approve(actor=world.reviewer, application=application, note="同意")
    assert AuditEntry.objects.filter(action="sharing.application.co_approve").exists()
    grant = applications.application_approve(actor=world.provider_officer, application=application)
    assert grant.status == Grant.Status.ACTIVE


def test_data_needing_no_co_approval_cannot_be_co_approved(world):
    with pytest.raises(DomainError) as refused:
        grade_rules.application_co_approve(actor=world.reviewer, application=_apply(world))
    assert refused.value.code == "co_approval_not_needed"


def test_highly_sensitive_data_has_a_shorter_longest_grant(world, settings):
    _grade(world, item="amount", level=4)
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        _apply(world, end_date=today + dt.timedelta(days=91))
    assert "最长 90 天" in str(refused.value.message)
    settings.PROTECTION_CO_APPROVAL_GRANT_DAYS = 120
    assert _apply(world, end_date=today + dt.timedelta(days=91)).end_date == today + dt.timedelta(days=91)


def test_core_data_is_granted_outside_its_department_only_by_the_bureau_admin(world):
    _grade(world, entry_category="core")
    application = _apply(world)
    with pytest.raises(PermissionDeniedError) as refused:
        applications.application_approve(actor=world.provider_officer, application=application)
    assert refused.value.code == "core_data_needs_admin"
    admin = user_with_role(Role.BUREAU_ADMIN)
    assert applications.may_decide(admin, application)
    grant = applications.application_approve(actor=admin, application=application)
    assert grant.holder_department == world.department


def test_the_core_rule_is_a_setting(world, settings):
    settings.PROTECTION_CORE_NEEDS_ADMIN = False
    _grade(world, entry_category="core")
    assert applications.application_approve(actor=world.provider_officer, application=_apply(world))


def _pull(world, grant):
    """The use is checked and recorded before the rows stream (on a connection of their own, which
    would not see this test's uncommitted table): the stream is not read here."""
    pulled = use.grant_pull(actor=world.applicant, grant=grant)
    getattr(pulled.chunks, "close", lambda: None)()
    return pulled


def test_pulls_of_sensitive_data_are_audited_with_their_grade_and_row_count(world):
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world, mode="pull"))
    _pull(world, grant)
    detail = AuditEntry.objects.filter(action="sharing.grant.pull").latest("id").detail
    assert (detail["grade_level"], detail["rows"], detail["amount"]) == (3, 14, 14)


def test_pulls_of_sensitive_data_are_limited_per_day(world, settings):
    from sharing.services.refusals import QuotaExceededError

    settings.PROTECTION_SENSITIVE_DAILY_ROWS = 20
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world, mode="pull"))
    _pull(world, grant)
    with pytest.raises(QuotaExceededError) as refused:
        _pull(world, grant)
    assert refused.value.code == "graded_rows" and "每日最多获取 20 行" in str(refused.value.message)
    assert AuditEntry.objects.filter(action="sharing.grant.pull", outcome="denied").exists()


def test_pulls_of_data_below_the_audited_level_are_not_limited_by_grade(world, settings):
    settings.PROTECTION_SENSITIVE_DAILY_ROWS = 20
    world.entry.published_version.items.update(sensitive=False, grade_level=2)
    type(world.entry.published_version).objects.filter(pk=world.entry.published_version_id).update(grade_level=2)
    grant = applications.application_approve(actor=world.provider_officer, application=_apply(world, mode="pull"))
    _pull(world, grant)
    _pull(world, grant)
    assert "grade_level" not in AuditEntry.objects.filter(action="sharing.grant.pull").latest("id").detail


def test_the_bureau_co_approves_on_the_applications_page(world, client):
    from django.urls import reverse

    _grade(world, item="amount", level=4)
    application = _apply(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("sharing:application", args=[application.pk])).content.decode()
    assert 'data-testid="co-approve-application"' in page and "须经大数据管理局会签" in page
    client.post(reverse("sharing:application_co_approve", args=[application.pk]), {"note": "同意共享"})
    application.refresh_from_db()
    assert application.co_approved_by == world.reviewer and application.co_approval_note == "同意共享"
    client.force_login(world.provider_officer)
    page = client.get(reverse("sharing:application", args=[application.pk])).content.decode()
    assert "已会签" in page and 'data-testid="co-approve-application"' not in page
    assert client.post(reverse("sharing:application_co_approve", args=[application.pk])).status_code == 403


def test_the_bureau_co_approves_through_the_api(world):
    from rest_framework.test import APIClient

    _grade(world, item="amount", level=4)
    application = _apply(world)
    api = APIClient()
    api.force_authenticate(world.provider_officer)
    refused = api.post(f"/api/sharing/applications/{application.pk}/approve/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "co_approval_required"
    assert api.post(f"/api/sharing/applications/{application.pk}/co-approve/", {}, format="json").status_code == 403
    api.force_authenticate(world.reviewer)
    answer = api.post(f"/api/sharing/applications/{application.pk}/co-approve/", {"note": "同意"}, format="json")
    assert answer.status_code == 200 and answer.json()["co_approval_note"] == "同意"
    api.force_authenticate(world.provider_officer)
    assert api.post(f"/api/sharing/applications/{application.pk}/approve/", {}, format="json").status_code == 200
