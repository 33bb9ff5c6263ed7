"""SECURITY.md 14.16: open-data API keys expire (OPEN_DATA_API_KEY_DAYS, 365 by default; 0: never). An
expired key is refused with a message saying it expired; its owner renews it on the keys page (a
POST with the CSRF token) or through the API, and the renewal is audited."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from openness.models import ApiKey
from openness.services import apikeys
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = "/api/open/datasets/"


def _a_year_later(key):
    """The key's lifetime has run out (as a year after its creation)."""
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))


def test_a_new_key_expires_after_the_configured_days(public_user, settings):
    key, _secret = apikeys.apikey_create(actor=public_user, name="科研")
    assert abs(key.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(minutes=1)
    settings.OPEN_DATA = {"API_KEY_DAYS": 30}
    key, _secret = apikeys.apikey_create(actor=public_user, name="短期")
    assert abs(key.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    settings.OPEN_DATA = {"API_KEY_DAYS": 0}
    key, secret = apikeys.apikey_create(actor=public_user, name="长期")
    assert key.expires_at is None and apikeys.authenticate(secret) == key


def test_an_expired_key_is_refused_saying_it_expired(public_user):
    key, secret = apikeys.apikey_create(actor=public_user, name="科研")
    assert APIClient().get(URL, HTTP_X_API_KEY=secret).status_code == 200
    _a_year_later(key)
    refused = APIClient().get(URL, HTTP_X_API_KEY=secret)
    assert refused.status_code == 401 and refused.json()["code"] == "key_expired"
    assert "过期" in refused.json()["detail"] and "续期" in refused.json()["detail"]
    entry = AuditEntry.objects.filter(action="openness.api.call", outcome="denied").latest("id")
    assert entry.detail["reason"] == "key_expired" and entry.detail["prefix"] == key.prefix
    # an unknown key is still just invalid: only the holder of the whole secret learns it expired
    other = APIClient().get(URL, HTTP_X_API_KEY=secret[:-3] + "abc")
    assert other.status_code == 401 and other.json()["code"] == "invalid_key"
    assert apikeys.authenticate(secret) is None


@pytest.mark.django_db(transaction=True)  # the download streams on a connection of its own
def test_an_expired_key_is_refused_on_downloads_too(client, officer, reviewer, public_user):
    from tests.openness.factories import published_dataset

    dataset, _v = published_dataset(officer, reviewer)
    key, secret = apikeys.apikey_create(actor=public_user, name="科研")
    _a_year_later(key)
    refused = client.get(reverse("openness:download", args=[dataset.pk, "json"]), HTTP_X_API_KEY=secret)
    assert refused.status_code == 401 and "过期" in refused.content.decode()
    entry = AuditEntry.objects.filter(action="openness.download", outcome="denied").latest("id")
    assert entry.detail["reason"] == "key_expired"


def test_the_owner_renews_a_key_on_the_keys_page_with_csrf(public_user):
    key, secret = apikeys.apikey_create(actor=public_user, name="科研")
    _a_year_later(key)
    web = Client(enforce_csrf_checks=True)
    web.force_login(public_user)
    page = web.get(reverse("openness:keys")).content.decode()
    assert 'data-testid="renew-key"' in page and "已过期" in page
    url = reverse("openness:key_renew", args=[key.pk])
    assert web.post(url).status_code == 403  # no CSRF token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    done = web.post(url, {"csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done["Location"] == reverse("openness:keys")
    key.refresh_from_db()
    assert abs(key.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(minutes=1)
    assert APIClient().get(URL, HTTP_X_API_KEY=secret).status_code == 200  # the same secret works again
    entry = AuditEntry.objects.get(action="openness.apikey.renew")
    assert entry.actor_id == public_user.pk and entry.detail["expires_at"] == key.expires_at.isoformat()
    assert entry.detail["previous_expiry"] < entry.detail["expires_at"]
    page = web.get(reverse("openness:keys")).content.decode()
    assert "密钥已续期，有效期至" in page and timezone.localtime(key.expires_at).strftime("%Y-%m-%d") in page


def test_renewal_through_the_api_only_for_the_owner_of_a_live_key(public_user):
    key, _secret = apikeys.apikey_create(actor=public_user, name="科研")
    api = APIClient()
    api.force_authenticate(user_with_role(Role.PUBLIC))
    assert api.post(f"/api/open/keys/{key.pk}/renew/").status_code == 404
    api.force_authenticate(public_user)
    renewed = api.post(f"/api/open/keys/{key.pk}/renew/")
    assert renewed.status_code == 200 and renewed.json()["expires_at"]
    assert "expires_at" in api.get("/api/open/keys/").json()[0]
    apikeys.apikey_revoke(actor=public_user, key=key)
    refused = api.post(f"/api/open/keys/{key.pk}/renew/")
    assert refused.status_code == 400 and "已撤销的密钥不能续期" in json.dumps(refused.json(), ensure_ascii=False)
