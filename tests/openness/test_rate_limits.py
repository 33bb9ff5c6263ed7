"""O4: rate limits per API key and per address, kept in Redis; 429 with a Chinese message."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from openness import ratelimit
from openness.services import apikeys

pytestmark = pytest.mark.django_db

URL = "/api/open/datasets/"


@pytest.fixture(autouse=True)
def _mid_window(monkeypatch):
    """Fixed one-minute windows: keep the clock in the middle of one so a test never straddles two."""
    from types import SimpleNamespace

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_900_000_020.0))


def test_anonymous_calls_are_limited_per_address_with_429_and_a_chinese_message(settings):
    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 3}
    api = APIClient()
    assert [api.get(URL, REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(URL, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "throttled" and body["detail"].startswith("请求过于频繁")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert api.get(URL, REMOTE_ADDR="192.0.2.2").status_code == 200  # another address has its own count
    api.get(URL, REMOTE_ADDR="192.0.2.1")
    denied = AuditEntry.objects.filter(action="openness.api.call", outcome="denied", client_ip="192.0.2.1")
    assert denied.count() == 1  # the first refusal of the window is audited, not the whole flood


def test_each_key_has_its_own_limit(settings, public_user, make_user):
    from portal.roles import Role

    settings.OPEN_DATA = {"RATE_KEY_PER_MINUTE": 2, "RATE_ANONYMOUS_PER_MINUTE": 100}
    _k, first = apikeys.apikey_create(actor=public_user, name="甲")
    _k, second = apikeys.apikey_create(actor=make_user(Role.PUBLIC), name="乙")
    api = APIClient()
    assert [api.get(URL, HTTP_X_API_KEY=first).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get(URL, HTTP_X_API_KEY=second).status_code == 200
    assert api.get(URL).status_code == 200  # without a key: the address's anonymous limit


def test_all_calls_from_one_address_are_limited_whatever_the_keys(settings, public_user):
    settings.OPEN_DATA = {"RATE_KEY_PER_MINUTE": 100, "RATE_ADDRESS_PER_MINUTE": 2}
    _k, secret = apikeys.apikey_create(actor=public_user, name="甲")
    api = APIClient()
    codes = [api.get(URL, HTTP_X_API_KEY=secret, REMOTE_ADDR="192.0.2.9").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_limiter_fails_open_when_redis_is_down(settings):
    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 1, "REDIS_URL": "redis://127.0.0.1:1/0"}
    api = APIClient()
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    entry = AuditEntry.objects.filter(action="openness.api.call").latest("id")
    assert entry.detail["rate_limit_degraded"] is True
    assert ratelimit.hit([("address", "x", 1)]).degraded


@pytest.mark.django_db(transaction=True)  # downloads stream on a connection of their own
def test_anonymous_web_downloads_share_the_anonymous_limit_with_a_chinese_429_page(
    settings, client, officer, reviewer, public_user
):
    """SECURITY.md 14.11: web downloads without sign-in had no limit (the API had 60 a minute per address)."""
    from django.urls import reverse

    from tests.openness.factories import published_dataset

    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 3}
    dataset, _v = published_dataset(officer, reviewer)
    url = reverse("openness:download", args=[dataset.pk, "json"])
    version_url = reverse("openness:version_download", args=[dataset.pk, 1, "csv"])
    assert APIClient().get(URL, REMOTE_ADDR="192.0.2.5").status_code == 200  # the API call counts too
    assert [client.get(u, REMOTE_ADDR="192.0.2.5").status_code for u in (url, version_url)] == [200, 200]
    refused = client.get(url, REMOTE_ADDR="192.0.2.5")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "下载过于频繁" in refused.content.decode() and 'data-testid="download-refused"' in refused.content.decode()
    assert client.get(version_url, REMOTE_ADDR="192.0.2.5").status_code == 429
    assert APIClient().get(URL, REMOTE_ADDR="192.0.2.5").status_code == 429
    assert client.get(url, REMOTE_ADDR="192.0.2.6").status_code == 200  # another address
    denied = AuditEntry.objects.filter(action="openness.download", outcome="denied", client_ip="192.0.2.5")
    assert denied.count() == 1 and denied.get().detail["reason"] == "rate_limited"  # the window's first refusal
    assert denied.get().detail["limits"] == ["anonymous"]
    client.force_login(public_user)  # signed in: identified and audited, not counted per address
    assert client.get(url, REMOTE_ADDR="192.0.2.5").status_code == 200


def test_the_guide_states_the_download_limit(client, settings):
    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 7}
    page = client.get("/open/guide/").content.decode()
    assert "每个地址每分钟最多 7 次" in page.split('data-testid="guide-download-limit"')[1]
