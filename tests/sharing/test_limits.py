"""SECURITY.md 14.6: grant use is rate limited per user and per grant (Redis), and bounded by daily quotas
that the provider sets when granting (blank: the portal's default); over a limit the answer is 429
with a Chinese message and Retry-After, recorded as denied with the reason. Web use counts too."""

import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portal.roles import Role
from sharing.models import Grant, GrantUse
from sharing.services import applications, limits, use
from sharing.services.refusals import QuotaExceededError
from tests.factories import user_with_role
from tests.sharing import factories
from tests.sharing.test_api import token_client


def _forget_rates(*keys):
    for key in keys:
        cache.delete_many([key, f"{key}:refused"])


def granted(w, **quotas):
    application = factories.apply(w, items=["id_number", "district"])
    return applications.application_approve(actor=w.provider_officer, application=application, **quotas)


def test_the_per_user_rate_limit_answers_429_with_retry_after_and_records_the_first_refusal(world, settings):
    settings.SHARING = {"RATE_PER_USER": "3/min", "RATE_PER_GRANT": "100/min"}
    grant = granted(world)
    _forget_rates(
        f"throttle_sharing_use_user_{world.applicant.pk}",
        f"throttle_sharing_use_grant_{grant.pk}_{world.department.pk}",
    )
    api = token_client(world.applicant)
    path = f"/api/sharing/grants/{grant.pk}/query/"
    assert [api.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(path)
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert "请求过于频繁" in refused.json()["detail"] and 0 < int(refused["Retry-After"]) <= 60
    assert api.get(path).status_code == 429
    entries = AuditEntry.objects.filter(
        action="sharing.grant.query", outcome="denied", object_id=str(grant.pk), detail__code="throttled"
    )
    assert entries.count() == 1 and entries.get().detail["scope"] == "sharing_use_user"
    assert GrantUse.objects.filter(grant=grant, outcome="denied", detail__code="throttled").count() == 1


def test_the_per_grant_rate_limit_is_shared_by_the_holders_users_and_not_used_up_by_strangers(world, settings):
    settings.SHARING = {"RATE_PER_USER": "100/min", "RATE_PER_GRANT": "2/min"}
    grant = granted(world)
    stranger = user_with_role(Role.DEPARTMENT_STAFF)
    _forget_rates(
        f"throttle_sharing_use_grant_{grant.pk}_{world.department.pk}",
        f"throttle_sharing_use_grant_{grant.pk}_{stranger.department_id}",
        *(f"throttle_sharing_use_user_{u.pk}" for u in (world.applicant, world.applicant_officer, stranger)),
    )
    path = f"/api/sharing/grants/{grant.pk}/query/"
    probes = token_client(stranger)
    assert [probes.get(path).status_code for _ in range(3)] == [403, 403, 429]
    assert token_client(world.applicant).get(path).status_code == 200
    colleague = token_client(world.applicant_officer)
    assert colleague.get(path).status_code == 200
    assert colleague.get(path).status_code == 429


def test_the_pages_are_rate_limited_too(world, settings, client):
    settings.SHARING = {"RATE_PER_USER": "1/min", "RATE_PER_GRANT": "100/min"}
    grant = granted(world)
    _forget_rates(
        f"throttle_sharing_use_user_{world.applicant.pk}",
        f"throttle_sharing_use_grant_{grant.pk}_{world.department.pk}",
    )
    client.force_login(world.applicant)
    url = reverse("sharing:grant_query", args=[grant.pk])
    assert client.post(url, {"f_district": "东城区"}).status_code == 200
    refused = client.post(url, {"f_district": "东城区"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "请求过于频繁" in refused.content.decode()


def test_the_provider_sets_daily_quotas_when_granting_and_the_holder_sees_them(world, client):
    application = factories.apply(world, items=["id_number", "district"])
    api = token_client(world.provider_officer)
    bad = api.post(f"/api/sharing/applications/{application.pk}/approve/", {"daily_call_quota": 0}, format="json")
    assert bad.status_code == 400 and "daily_call_quota" in bad.json()["errors"]
    too_big = api.post(
        f"/api/sharing/applications/{application.pk}/approve/", {"daily_row_quota": 2**40}, format="json"
    )
    assert too_big.status_code == 400
    ok = api.post(
        f"/api/sharing/applications/{application.pk}/approve/",
        {"daily_call_quota": 2, "daily_row_quota": 10},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    grant = Grant.objects.get(application=application)
    shown = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/").json()
    assert (shown["daily_call_quota"], shown["calls_per_day"], shown["rows_per_day"]) == (2, 2, 10)
    client.force_login(world.applicant)
    page = client.get(reverse("sharing:grant", args=[grant.pk])).content.decode()
    assert "调用 2 次，查阅和获取 10 行" in page and "今日已用 0 次、0 行" in page


def test_the_approval_page_sets_the_quotas(world, client):
    application = factories.apply(world, items=["id_number", "district"])
    client.force_login(world.provider_officer)
    page = client.get(reverse("sharing:application", args=[application.pk])).content.decode()
    assert 'name="daily_call_quota"' in page and 'name="daily_row_quota"' in page
    end = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    client.post(
        reverse("sharing:application_approve", args=[application.pk]),
        {
            "items": ["id_number", "district"],
            "mode": "query",
            "end_date": end,
            "daily_call_quota": "5",
            "daily_row_quota": "",
        },
    )
    grant = Grant.objects.get(application=application)
    assert (grant.daily_call_quota, grant.daily_row_quota, grant.rows_per_day) == (5, None, 1_000_000)


def test_over_the_daily_calls_web_and_api_together_the_answer_is_429_until_the_next_day(world, client):
    grant = granted(world, daily_call_quota=2)
    client.force_login(world.applicant)
    assert client.post(reverse("sharing:grant_query", args=[grant.pk]), {"f_district": "东城区"}).status_code == 200
    api = token_client(world.applicant)
    path = f"/api/sharing/grants/{grant.pk}/query/"
    assert api.get(path).status_code == 200
    refused = api.get(path)
    assert refused.status_code == 429 and refused.json()["code"] == "quota_calls"
    assert "2 次" in refused.json()["detail"]
    midnight = limits.day_start(timezone.now()) + dt.timedelta(days=1)
    assert abs(int(refused["Retry-After"]) - (midnight - timezone.now()).total_seconds()) < 60
    web = client.post(reverse("sharing:grant_query", args=[grant.pk]), {"f_district": "东城区"})
    assert web.status_code == 429 and "Retry-After" in web
    denied = AuditEntry.objects.filter(action="sharing.grant.query", outcome="denied", object_id=str(grant.pk))
    assert list(denied.values_list("detail__code", flat=True)) == ["quota_calls", "quota_calls"]
    # yesterday's uses do not count today
    GrantUse.objects.filter(grant=grant).update(used_at=timezone.now() - dt.timedelta(days=1))
    assert api.get(path).status_code == 200


def test_over_the_daily_rows_a_page_is_refused_and_says_how_many_are_left(world):
    grant = granted(world, daily_row_quota=10)
    assert len(use.grant_query(actor=world.applicant, grant=grant, page_size=7)["rows"]) == 7
    with pytest.raises(QuotaExceededError) as refused:
        use.grant_query(actor=world.applicant, grant=grant, page_size=5)
    assert refused.value.status_code == 429 and refused.value.code == "quota_rows"
    assert "剩余的行数（3 行" in str(refused.value.message)
    assert len(use.grant_query(actor=world.applicant, grant=grant, page_size=3)["rows"]) == 3
    assert GrantUse.objects.filter(grant=grant, outcome="success").count() == 2


def test_a_grant_without_quotas_uses_the_portals_defaults(world, settings):
    settings.SHARING = {"DAILY_CALLS": 1}
    grant = granted(world)
    assert grant.daily_call_quota is None and grant.calls_per_day == 1
    use.grant_query(actor=world.applicant, grant=grant)
    with pytest.raises(QuotaExceededError):
        use.grant_query(actor=world.applicant, grant=grant)


@pytest.mark.django_db(transaction=True)
def test_uses_at_the_same_moment_cannot_pass_the_last_call_of_the_quota_together():
    w = factories.world()
    grant = granted(w, daily_call_quota=1)
    barrier, outcomes = threading.Barrier(4), []

    def one():
        try:
            barrier.wait()
            use.grant_query(actor=w.applicant, grant=grant)
            outcomes.append("ok")
        except QuotaExceededError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert GrantUse.objects.filter(grant=grant, outcome="success").count() == 1
