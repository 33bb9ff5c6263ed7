"""API tokens are stored hashed: the key is shown once; a copy of the table authenticates nobody;
revoked tokens are refused at once."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(api, user, password):
    response = api.post(reverse("api_token"), {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def test_only_the_hash_is_stored(officer, password):
    api = APIClient()
    key = issue(api, officer, password)
    row = ApiToken.objects.get(user=officer)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (row.key_hash, row.prefix) and row.prefix == key[:8]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").json()["username"] == officer.username
    api.credentials(HTTP_AUTHORIZATION=f"Token {row.key_hash}")  # what a database copy would give
    assert api.get("/api/me/").status_code in (401, 403)


def test_revoked_token_is_refused_at_once(officer, password):
    api = APIClient()
    key = issue(api, officer, password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.delete(reverse("api_token")).status_code == 204
    response = api.get("/api/me/")
    assert response.status_code in (401, 403) and "吊销" in response.json()["detail"]


def test_each_issue_is_a_new_token_and_inactive_users_are_refused(officer, password):
    api = APIClient()
    first, second = issue(api, officer, password), issue(api, officer, password)
    assert first != second
    officer.is_active = False
    officer.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/me/").status_code in (401, 403)


def test_malformed_authorization_headers_are_clear_errors():
    api = APIClient()
    for header in ("Token", "Token a b", "Token " + "x" * 500, "Token 令牌"):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get("/api/me/")
        assert response.status_code in (401, 403), header
        assert response.json()["detail"]


def test_a_token_lapses_when_unused_too_long_or_too_old(officer, password, settings):
    """Like a web session, a token left unused API_TOKEN_IDLE_DAYS no longer works, and none works
    longer than API_TOKEN_MAX_AGE_DAYS after its issue; the refusal says why."""
    import datetime as dt

    from django.utils import timezone

    settings.API_TOKEN_IDLE_DAYS, settings.API_TOKEN_MAX_AGE_DAYS = 30, 365
    api = APIClient()
    key = issue(api, officer, password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    now = timezone.now()
    ApiToken.objects.filter(user=officer).update(
        created_at=now - dt.timedelta(days=100), last_used_at=now - dt.timedelta(days=29)
    )
    assert api.get("/api/me/").status_code == 200  # used within the last 30 days
    ApiToken.objects.filter(user=officer).update(last_used_at=now - dt.timedelta(days=31))
    response = api.get("/api/me/")
    assert response.status_code in (401, 403) and "30 天未使用" in response.json()["detail"]
    ApiToken.objects.filter(user=officer).update(created_at=now - dt.timedelta(days=366), last_used_at=now)
    response = api.get("/api/me/")
    assert response.status_code in (401, 403) and "365 天" in response.json()["detail"]
    settings.API_TOKEN_MAX_AGE_DAYS = 0  # 0: no limit
    assert api.get("/api/me/").status_code == 200
    fresh = issue(api, officer, password)  # the holder simply issues a new one
    api.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert api.get("/api/me/").status_code == 200
