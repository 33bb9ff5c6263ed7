"""P1: the account is locked after 5 failed sign-ins (setting), and each event is audited."""
import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(client, staff, password, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, staff.username, "wrong-Pass1!")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = sign_in(client, staff.username, "wrong-Pass1!")
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()

    response = sign_in(client, staff.username, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.locked_out", object_id=str(staff.pk)).exists()
    assert AuditEntry.objects.filter(action="auth.login_failed", object_id=str(staff.pk)).count() >= 5


def test_lock_is_per_account_not_per_office_address(client, staff, officer, password):
    for _ in range(5):
        sign_in(client, staff.username, "wrong-Pass1!")
    response = sign_in(client, officer.username, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_admin_reset_unlocks_the_account(client, staff, password):
    for _ in range(5):
        sign_in(client, staff.username, "wrong-Pass1!")
    assert AccessAttempt.objects.filter(username=staff.username).exists()
    reset(username=staff.username)
    response = sign_in(client, staff.username, password)
    assert response.status_code == 302


def test_limit_is_a_setting(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    sign_in(client, staff.username, "wrong-Pass1!")
    assert sign_in(client, staff.username, "wrong-Pass1!").status_code == 429


def test_api_token_endpoint_is_locked_too(client, staff, password):
    url = reverse("api_token")
    for _ in range(5):
        response = client.post(url, {"username": staff.username, "password": "wrong-Pass1!"},
                               content_type="application/json")
    response = client.post(url, {"username": staff.username, "password": password}, content_type="application/json")
    assert response.status_code in (403, 429)
    assert "锁定" in response.json()["detail"]
