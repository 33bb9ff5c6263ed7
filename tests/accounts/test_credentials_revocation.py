"""SECURITY.md 14.9: a new password ends what the old one gave out: the user's API tokens, the open-data API
keys of a public user, and the sessions on other devices (the password change page keeps its own
session; a reset ends them all). Whatever path sets the password, and audited."""

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services.tokens import token_issue
from audit.models import AuditEntry
from openness.models import ApiKey
from openness.services import apikeys
from portal.models import ApiToken

pytestmark = pytest.mark.django_db

NEW = "Xinmima#2027"


def _token_works(key) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/me/").status_code == 200


def _key_works(secret) -> bool:
    return APIClient().get("/api/open/datasets/", HTTP_X_API_KEY=secret).status_code == 200


def _signed_in(client) -> bool:
    response = client.get(reverse("notifications"))
    return response.status_code == 200


def test_changing_the_password_revokes_tokens_and_keys_and_ends_the_other_sessions(public_user, password):
    _token, key = token_issue(actor=public_user, name="script")
    _api_key, secret = apikeys.apikey_create(actor=public_user, name="科研项目")
    assert _token_works(key) and _key_works(secret)
    here, elsewhere = Client(), Client()
    here.force_login(public_user)
    elsewhere.force_login(public_user)

    response = here.post(
        reverse("password_change"), {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert not _token_works(key) and not _key_works(secret)
    assert not ApiToken.objects.filter(user=public_user, revoked_at__isnull=True).exists()
    assert not ApiKey.objects.filter(user=public_user, revoked_at__isnull=True).exists()
    assert _signed_in(here)  # the page that changed it keeps its session
    assert not _signed_in(elsewhere)
    entry = AuditEntry.objects.get(action="auth.credentials.revoke", object_id=str(public_user.pk))
    assert entry.actor_id == public_user.pk
    assert entry.detail == {"cause": "password_changed", "api_tokens": 1, "openness_api_keys": 1}
    assert AuditEntry.objects.filter(action="openness.apikey.revoke", actor_id=public_user.pk).exists()


def test_a_password_reset_revokes_tokens_and_ends_every_session(staff):
    _token, key = token_issue(actor=staff, name="script")
    signed_in = Client()
    signed_in.force_login(staff)
    client = Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.1.{uuid.uuid4().int % 250}")
    client.post(reverse("password_reset"), {"email": staff.email})
    line = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    form = client.get(re.sub(r"^https?://[^/]+", "", line.strip()), follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert not _token_works(key)
    assert not _signed_in(signed_in)
    assert AuditEntry.objects.filter(
        action="auth.credentials.revoke", object_id=str(staff.pk), detail__api_tokens=1
    ).exists()


def test_a_password_set_by_the_bureau_admin_revokes_the_tokens_too(staff, bureau_admin):
    _token, key = token_issue(actor=staff, name="script")
    admin = Client()
    admin.force_login(bureau_admin)
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not _token_works(key)
    entry = AuditEntry.objects.get(action="auth.credentials.revoke", object_id=str(staff.pk))
    assert entry.actor_id == bureau_admin.pk


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(settings, staff, password):
    """Django re-hashes a password with a newer hasher at sign-in: that must not revoke anything."""
    _token, key = token_issue(actor=staff, name="script")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    response = Client().post(reverse("login"), {"username": staff.username, "password": password})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.password.startswith("pbkdf2_")  # it was upgraded
    assert _token_works(key)
