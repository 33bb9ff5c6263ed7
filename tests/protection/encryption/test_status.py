"""The key status page and API: ids, purposes, counts and rotation progress; never a key."""

import base64

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.roles import Role
from protection.encryption import keys, services
from protection.encryption.models import StoredKey
from tests.factories import user_with_role
from tests.otp import mark_verified

pytestmark = pytest.mark.django_db


def test_status_shows_the_master_key_id_and_counts_but_no_key(client):
    services.index_key()
    services.active_key(StoredKey.Purpose.TABLE, "r1_v1")
    admin = user_with_role(Role.BUREAU_ADMIN)
    client.force_login(admin)
    mark_verified(client, admin)
    page = client.get(reverse("encryption:status"))
    assert page.status_code == 200
    text = page.content.decode()
    assert keys.provider().key_id() in text and "盲索引" in text and "sm4-gcm" in text
    master = open(keys.encryption_settings()["MASTER_KEY_FILE"], "rb").read().strip()
    secrets = [master, base64.b64encode(bytes(StoredKey.objects.first().wrapped))]
    assert not any(s.decode() in text for s in secrets)
    api = APIClient()
    api.force_authenticate(user_with_role(Role.AUDITOR))
    body = api.get("/api/encryption/status/").json()
    assert body["master_key_id"] == keys.provider().key_id() and body["to_rewrap"] == 0
    assert {row["purpose"] for row in body["keys"]} == {"index", "table"}
    api.force_authenticate(user_with_role(Role.DEPARTMENT_STAFF))
    assert api.get("/api/encryption/status/").status_code == 403
