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
        response = client.post(
            url, {"username": staff.username, "password": "wrong-Pass1!"}, content_type="application/json"
        )
    response = client.post(url, {"username": staff.username, "password": password}, content_type="application/json")
    assert response.status_code in (403, 429)
    assert "锁定" in response.json()["detail"]


# --- SECURITY.md 14.5: one client address may not spray passwords over many accounts ----------------------
def _spray(client, n, *, prefix="nobody"):
    for i in range(n):
        client.post(reverse("login"), {"username": f"{prefix}{i}", "password": "wrong-Pass1!"})


def test_one_address_trying_many_user_names_is_paused_for_every_account(settings, client, staff, password):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20 and settings.LOGIN_ADDRESS_WINDOW_MINUTES == 30
    _spray(client, 20)  # 20 names, one failure each: no account reaches its own limit
    response = sign_in(client, staff.username, password)  # the right password, from the same address
    assert response.status_code == 429
    assert "该网络地址登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    api = client.post(
        reverse("api_token"), {"username": staff.username, "password": password}, content_type="application/json"
    )
    assert api.status_code == 429 and api.json()["code"] == "address_locked_out"
    admin = client.post(reverse("admin:login"), {"username": staff.username, "password": password})
    assert admin.status_code == 429
    assert AuditEntry.objects.filter(action="auth.locked_out", object_id=str(staff.pk)).exists()


def test_another_address_and_the_accounts_themselves_are_not_affected(settings, staff, password):
    from django.test import Client

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    sprayer = Client(REMOTE_ADDR="198.51.100.20")
    _spray(sprayer, 5)
    assert sign_in(sprayer, staff.username, password).status_code == 429
    office = Client(REMOTE_ADDR="198.51.100.21")
    assert sign_in(office, staff.username, password).status_code == 302


def test_a_paused_address_adds_no_failures_to_the_accounts_it_keeps_trying(settings, client, staff):
    """Lock-out of others: once paused, further attempts count against no account."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    _spray(client, 3)
    for _ in range(10):
        assert sign_in(client, staff.username, "wrong-Pass1!").status_code == 429
    assert not AccessAttempt.objects.filter(username=staff.username).exists()


def test_a_successful_sign_in_does_not_reset_the_address_count(settings, client, staff, officer, password):
    """A sprayer who signs into its own account between rounds still reaches the address limit."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    _spray(client, 2)
    assert sign_in(client, officer.username, password).status_code == 302
    client.post(reverse("logout"))
    _spray(client, 2, prefix="again")
    assert sign_in(client, staff.username, password).status_code == 429


def test_the_address_window_is_a_setting(settings, client, staff, password):
    import datetime as dt

    from django.utils import timezone

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    _spray(client, 3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    settings.AXES_COOLOFF_TIME = None  # keep the old rows: only the address window decides
    assert sign_in(client, staff.username, password).status_code == 302


def test_a_bureau_admin_sees_and_unlocks_an_address_and_an_account(settings, staff, bureau_admin, password):
    from django.test import Client

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer = Client(REMOTE_ADDR="198.51.100.30")
    _spray(sprayer, 6)
    typist = Client(REMOTE_ADDR="198.51.100.31")
    for _ in range(5):
        sign_in(typist, staff.username, "wrong-Pass1!")
    admin = Client()
    admin.force_login(bureau_admin)
    page = admin.get(reverse("signin_security"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "198.51.100.30" in body and staff.username in body

    response = admin.post(reverse("signin_unlock"), {"address": "198.51.100.30"})
    assert response.status_code == 302
    assert sign_in(sprayer, "nobody_new", "wrong-Pass1!").status_code == 200  # may try again
    assert AuditEntry.objects.filter(
        action="auth.unlock.address", object_id="198.51.100.30", actor_id=bureau_admin.pk, detail__attempts_cleared=6
    ).exists()

    assert sign_in(typist, staff.username, password).status_code == 429
    admin.post(reverse("signin_unlock"), {"username": staff.username})
    assert sign_in(typist, staff.username, password).status_code == 302
    assert AuditEntry.objects.filter(action="auth.unlock.account", object_id=staff.username).exists()


def test_the_unlock_page_is_the_bureau_admins_and_refuses_bad_input(client, officer, bureau_admin):
    client.force_login(officer)
    assert client.get(reverse("signin_security")).status_code == 403
    assert client.post(reverse("signin_unlock"), {"address": "198.51.100.30"}).status_code == 403
    client.force_login(bureau_admin)
    both = client.post(reverse("signin_unlock"), {"address": "198.51.100.30", "username": "x"})
    assert both.status_code == 400 and "二选一" in both.content.decode()
    bad = client.post(reverse("signin_unlock"), {"address": "not-an-address"})
    assert bad.status_code == 400 and "有效的 IP 地址" in bad.content.decode()
