"""SECURITY.md 14.15: a TOTP second factor, required for bureau admins, reviewers and auditors, optional for
the others. With the password alone those roles reach nothing but the second step (pages redirect,
the API answers 403 otp_required, no API token is issued); codes are real TOTP codes of a real device."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from portal.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.otp import code_for, device_for

pytestmark = pytest.mark.django_db

REQUIRED = [Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.AUDITOR]
OPTIONAL = [Role.DEPARTMENT_STAFF, Role.DATA_OFFICER, Role.PUBLIC]


def password_sign_in(user, client=None):
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _a_page_of(role):
    return reverse("audit_log") if role == Role.AUDITOR else reverse("dashboard")


@pytest.mark.parametrize("role", REQUIRED)
def test_the_required_roles_with_the_password_only_are_sent_to_the_second_step(role):
    user = user_with_role(role)
    device_for(user)
    client = password_sign_in(user)
    page = client.get(_a_page_of(role))
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('otp_verify')}?next={_a_page_of(role).replace('/', '%2F')}"
    api = client.get("/api/me/")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("otp_verify")).status_code == 200


@pytest.mark.parametrize("role", REQUIRED)
def test_the_required_roles_without_a_device_are_sent_to_enrolment(role):
    user = user_with_role(role)
    client = password_sign_in(user)
    page = client.get(reverse("home"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("otp_setup"))


@pytest.mark.parametrize("role", OPTIONAL)
def test_the_other_roles_sign_in_with_the_password_alone(role):
    client = password_sign_in(user_with_role(role))
    assert client.get(reverse("notifications")).status_code == 200
    assert client.get("/api/me/").status_code == 200


def test_the_second_step_with_a_real_code_opens_the_portal_and_is_audited(reviewer):
    device = device_for(reviewer)
    client = password_sign_in(reviewer)
    key_before = client.session.session_key
    wrong = client.post(reverse("otp_verify"), {"otp_token": "000000", "next": "/dashboard/"})
    assert wrong.status_code == 400 and "动态验证码不正确" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="auth.otp.verify", outcome="failure", actor_id=reviewer.pk).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code's throttle delay (1 s) is not what is tested
    device.save()
    right = client.post(reverse("otp_verify"), {"otp_token": code_for(device), "next": "/dashboard/"})
    assert right.status_code == 302 and right["Location"] == "/dashboard/"
    assert client.session.session_key != key_before
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/me/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.otp.verify", outcome="success", actor_id=reviewer.pk).exists()


def test_a_code_works_once(reviewer):
    device = device_for(reviewer)
    code = code_for(device)
    first = password_sign_in(reviewer)
    assert first.post(reverse("otp_verify"), {"otp_token": code}).status_code == 302
    second = password_sign_in(reviewer)
    assert second.post(reverse("otp_verify"), {"otp_token": code}).status_code == 400


def test_the_second_step_sends_only_to_the_portal_itself(reviewer):
    device = device_for(reviewer)
    client = password_sign_in(reviewer)
    response = client.post(reverse("otp_verify"), {"otp_token": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_enrolment_shows_a_qr_code_and_confirms_with_the_first_code(auditor):
    client = password_sign_in(auditor)
    page = client.get(reverse("otp_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")
    assert client.get(reverse("otp_setup")).status_code == 200
    assert TOTPDevice.objects.get(user=auditor).pk == device.pk  # the same key until confirmed
    assert client.post(reverse("otp_setup"), {"otp_token": "123"}).status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    done = client.post(reverse("otp_setup"), {"otp_token": code_for(device), "next": reverse("audit_log")})
    assert done.status_code == 302 and done["Location"] == reverse("audit_log")
    assert TOTPDevice.objects.get(user=auditor).confirmed
    assert client.get(reverse("audit_log")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.otp.enrol", outcome="success", actor_id=auditor.pk).exists()


def test_an_enrolled_user_cannot_enrol_another_device_with_the_password_alone(reviewer):
    device_for(reviewer)
    client = password_sign_in(reviewer)
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_setup"), {"otp_token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_a_password_only_session_shows_no_navigation_or_counts(reviewer):
    device_for(reviewer)
    client = password_sign_in(reviewer)
    body = client.get(reverse("otp_verify")).content.decode()
    assert 'data-nav="' not in body and 'data-testid="inbox-link"' not in body
    assert 'data-testid="sign-out"' in body


def test_an_optional_user_who_enrolled_is_asked_for_the_code_too(staff):
    device = device_for(staff)
    client = password_sign_in(staff)
    assert client.get(reverse("notifications")).status_code == 302
    assert client.post(reverse("otp_verify"), {"otp_token": code_for(device)}).status_code == 302
    assert client.get(reverse("notifications")).status_code == 200


# --- API tokens -----------------------------------------------------------------------------------
def _token(user, **extra):
    return Client().post(
        reverse("api_token"),
        {"username": user.username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_a_token_for_the_required_roles_needs_the_current_code(reviewer):
    device = device_for(reviewer)
    missing = _token(reviewer)
    assert missing.status_code == 400 and missing.json()["code"] == "otp_required"
    assert "otp_token" in missing.json()["errors"]
    wrong = _token(reviewer, otp_token="000000")
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    issued = _token(reviewer, otp_token=code_for(device))
    assert issued.status_code == 200 and issued.json()["token"]
    assert AuditEntry.objects.filter(action="auth.otp.verify", outcome="success", detail__purpose="api_token").exists()


def test_no_token_before_enrolment_and_none_for_a_wrong_password_whatever_the_code(auditor):
    assert _token(auditor, otp_token="123456").json()["code"] == "otp_enrolment_required"
    device = device_for(auditor)
    wrong_password = Client().post(
        reverse("api_token"),
        {"username": auditor.username, "password": "Wrong#pass1", "otp_token": code_for(device)},
        content_type="application/json",
    )
    assert wrong_password.status_code == 400 and wrong_password.json()["code"] == "invalid_credentials"


@pytest.mark.parametrize("role", OPTIONAL)
def test_a_token_for_the_other_roles_needs_the_password_only(role):
    assert _token(user_with_role(role)).status_code == 200


# --- Django admin ------------------------------------------------------------------------------------
def test_the_admin_site_asks_for_the_second_factor_after_its_own_sign_in(bureau_admin):
    device = device_for(bureau_admin)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": bureau_admin.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    page = client.get("/admin/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("otp_verify"))
    assert (
        client.post(reverse("otp_verify"), {"otp_token": code_for(device), "next": "/admin/"})["Location"] == "/admin/"
    )
    assert client.get("/admin/").status_code == 200


# --- recovery by a bureau admin ------------------------------------------------------------------------
def test_a_bureau_admin_resets_a_lost_device_and_the_user_enrols_again(reviewer, bureau_admin):
    lost = Client()
    lost.force_login(reviewer)  # both factors, with the device now lost
    assert lost.get("/dashboard/").status_code == 200
    admin = Client()
    admin.force_login(bureau_admin)
    response = admin.post(reverse("otp_reset"), {"username": reviewer.username})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert AuditEntry.objects.filter(
        action="auth.otp.reset", object_id=str(reviewer.pk), actor_id=bureau_admin.pk, detail__devices=1
    ).exists()
    again = lost.get("/dashboard/")
    assert again.status_code == 302 and again["Location"].startswith(reverse("otp_setup"))


def test_only_a_bureau_admin_resets_devices(reviewer, officer, bureau_admin):
    device_for(reviewer)
    client = Client()
    client.force_login(officer)
    assert client.post(reverse("otp_reset"), {"username": reviewer.username}).status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer).exists()
    client.force_login(bureau_admin)
    unknown = client.post(reverse("otp_reset"), {"username": "nobody_2026"})
    assert unknown.status_code == 400 and "未找到" in unknown.content.decode()
