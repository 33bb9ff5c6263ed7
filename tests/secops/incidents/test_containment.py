"""Tongren art. 36: containment actions stop the harm spreading — each audited, each reversible, and
refused where the held object is used (portal.suspensions)."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from openness.services import apikeys
from portal.errors import DomainError, PermissionDeniedError
from secops.incidents.services import containment
from sharing.services import applications, use
from tests.secops.incidents.factories import reported
from tests.sharing import factories

pytestmark = pytest.mark.django_db


def _grant(w):
    return applications.application_approve(actor=w.provider_officer, application=factories.apply(w, mode="query"))


def test_a_suspended_grant_is_refused_until_the_hold_is_lifted(world, handler):
    grant = _grant(world)
    incident = reported(world.provider_officer)
    hold = containment.contain(actor=handler, incident=incident, kind="grant", grant=grant, reason="疑似泄露源")
    with pytest.raises(PermissionDeniedError) as refused:
        use.grant_query(actor=world.applicant, grant=grant)
    assert refused.value.code == "suspended" and "暂停" in str(refused.value.message)
    containment.lift(actor=handler, hold=hold, reason="排查完毕")
    assert use.grant_query(actor=world.applicant, grant=grant)["count"] > 0
    assert list(
        AuditEntry.objects.filter(action__startswith="incidents.contain")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["incidents.contain.apply", "incidents.contain.lift"]


def test_a_department_loses_access_to_a_resource(world, handler):
    grant = _grant(world)
    incident = reported(world.provider_officer)
    containment.contain(
        actor=handler,
        incident=incident,
        kind="dept_entry",
        department=world.applicant.department,
        entry=grant.entry,
        reason="越权访问",
    )
    with pytest.raises(PermissionDeniedError):
        use.grant_query(actor=world.applicant, grant=grant)


def test_a_suspended_account_is_inactive_and_active_again_when_lifted(officer, staff, handler):
    incident = reported(officer)
    hold = containment.contain(actor=handler, incident=incident, kind="user", user=staff, reason="账号被盗用")
    staff.refresh_from_db()
    assert not staff.is_active
    containment.lift(actor=handler, hold=hold, reason="已重置密码")
    staff.refresh_from_db()
    assert staff.is_active


def test_a_suspended_api_key_does_not_authenticate(officer, public_user, handler):
    key, secret = apikeys.apikey_create(actor=public_user, name="科研")
    assert APIClient().get("/api/open/datasets/", HTTP_X_API_KEY=secret).status_code == 200
    hold = containment.contain(
        actor=handler, incident=reported(officer), kind="api_key", api_key=key, reason="异常调用"
    )
    answer = APIClient().get("/api/open/datasets/", HTTP_X_API_KEY=secret)
    assert answer.status_code == 401 and answer.json()["code"] == "key_suspended"
    containment.lift(actor=handler, hold=hold, reason="已确认")
    assert APIClient().get("/api/open/datasets/", HTTP_X_API_KEY=secret).status_code == 200


def test_a_dataset_s_downloads_are_suspended(officer, reviewer, handler):
    from openness.services import usage
    from tests.openness.factories import published_dataset

    dataset, version = published_dataset(officer, reviewer)
    containment.contain(actor=handler, incident=reported(officer), kind="downloads", dataset=dataset, reason="泄露")
    with pytest.raises(PermissionDeniedError) as refused:
        usage.download_start(actor=None, dataset=dataset, version=version, fmt="csv")
    assert refused.value.code == "downloads_suspended"
    assert AuditEntry.objects.filter(action="openness.download", outcome="denied").exists()


def test_containment_needs_the_bureau_a_target_and_a_reason(officer, staff, handler):
    incident = reported(officer)
    with pytest.raises(PermissionDeniedError):
        containment.contain(actor=officer, incident=incident, kind="user", user=staff, reason="x")
    with pytest.raises(DomainError):
        containment.contain(actor=handler, incident=incident, kind="user", reason="x")
    with pytest.raises(DomainError):
        containment.contain(actor=handler, incident=incident, kind="user", user=staff, reason=" ")
    staff.refresh_from_db()
    assert staff.is_active


def test_the_hold_check_costs_no_statement_while_nothing_is_held_and_sees_a_new_hold_at_once(
    world, handler, django_assert_num_queries
):
    from django.core.cache import cache

    from portal import suspensions

    grant = _grant(world)
    cache.delete(containment.ANY_ACTIVE_KEY)  # an earlier test's rolled-back hold may still be cached
    suspensions.suspended(suspensions.GRANT, grant_id=grant.pk)  # "no hold anywhere" is now cached
    with django_assert_num_queries(0):
        assert suspensions.suspended(suspensions.GRANT, grant_id=grant.pk) is None
    incident = reported(world.provider_officer)
    hold = containment.contain(actor=handler, incident=incident, kind="grant", grant=grant, reason="疑似泄露源")
    assert "暂停" in suspensions.suspended(suspensions.GRANT, grant_id=grant.pk)
    containment.lift(actor=handler, hold=hold, reason="排查完毕")
    assert suspensions.suspended(suspensions.GRANT, grant_id=grant.pk) is None
