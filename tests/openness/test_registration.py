"""Public users register themselves (real name, e-mail, phone, strong password) and get the public role."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role

pytestmark = pytest.mark.django_db

GOOD = {
    "real_name": "周公众",
    "email": "Zhou@Example.com",
    "phone": "138 1234 5678",
    "password1": "Kaifang#2026",
    "password2": "Kaifang#2026",
}


def _link(message, marker):
    return next(re.sub(r"^https?://[^/]+", "", line.strip()) for line in message.body.splitlines() if marker in line)


def test_registration_creates_an_inactive_public_user_who_confirms_by_mail_and_is_signed_in(client):
    response = client.post(reverse("openness:register"), GOOD)
    assert response.status_code == 200 and "请查收确认邮件" in response.content.decode()
    user = User.objects.get(username="zhou@example.com")
    assert user.real_name == "周公众" and user.phone == "13812345678" and user.department is None
    assert user.roles == [Role.PUBLIC] and not user.is_active
    assert AuditEntry.objects.filter(action="openness.user.register", actor_id=user.pk).exists()
    # not yet: an unconfirmed account cannot sign in
    refused = client.post(reverse("login"), {"username": "zhou@example.com", "password": "Kaifang#2026"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhou@example.com"]
    link = _link(mail.outbox[0], "/open/register/confirm/")
    page = client.get(link)  # a GET (a mail scanner opening the link) changes nothing
    assert page.status_code == 200 and "完成注册" in page.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.is_active and client.get(reverse("openness:keys")).status_code == 200
    assert AuditEntry.objects.filter(action="openness.user.confirm", actor_id=user.pk).exists()
    # the link works once
    client.logout()
    again = client.post(link)
    assert again.status_code == 400 and "无效或已过期" in again.content.decode()
    signed_in = client.post(reverse("login"), {"username": "zhou@example.com", "password": "Kaifang#2026"})
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    "link",
    [
        "/open/register/confirm/MQ/abc-123/",
        "/open/register/confirm/%E4%B8%AD/x/",
        "/open/register/confirm/OTk5OTk5OTk5OTk5OTk5OTk5OQ/abc/",
    ],
)
def test_a_forged_or_broken_confirmation_link_is_refused(client, link):
    client.post(reverse("openness:register"), GOOD)
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 400 and "无效或已过期" in response.content.decode()
    assert not User.objects.get(username="zhou@example.com").is_active


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("password1", "abcdefgh", "特殊字符"),
        ("phone", "12345", "手机号码"),
        ("email", "not-an-email", "邮箱"),
        ("real_name", "", "必填"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_is_created(client, field, value, message):
    data = {**GOOD, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("openness:register"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhou@example.com").exists()


def test_an_email_registers_once_and_the_page_does_not_tell_that_it_was_taken(client):
    first = client.post(reverse("openness:register"), GOOD)
    client.post(_link(mail.outbox[0], "/open/register/confirm/"))
    client.logout()
    again = client.post(reverse("openness:register"), {**GOOD, "email": "ZHOU@example.com", "real_name": "别人"})
    # the same page as for a new address (no enumeration); the owner of the address is told by mail
    assert again.status_code == first.status_code == 200

    def text(response, email):
        return re.sub(r"[A-Za-z0-9_-]{32,}", "TOKEN", response.content.decode().replace(email, "EMAIL"))

    assert text(again, "zhou@example.com") == text(first, "zhou@example.com")
    assert User.objects.filter(email__iexact="zhou@example.com").count() == 1
    assert User.objects.get(email="zhou@example.com").real_name == "周公众"  # nothing changed
    assert len(mail.outbox) == 2 and "已注册" in mail.outbox[1].subject
    assert "/accounts/password/reset/" in mail.outbox[1].body
    assert AuditEntry.objects.filter(action="openness.user.register.repeat").count() == 1


def test_registering_again_before_confirming_sends_a_new_link_to_the_same_address(client):
    client.post(reverse("openness:register"), GOOD)
    client.post(reverse("openness:register"), {**GOOD, "password1": "Other#20261", "password2": "Other#20261"})
    assert User.objects.filter(email="zhou@example.com").count() == 1
    assert len(mail.outbox) == 2 and all("/open/register/confirm/" in m.body for m in mail.outbox)
    assert client.post(_link(mail.outbox[1], "/open/register/confirm/")).status_code == 302
    client.logout()
    # the first password stands: a second registration of the address changed nothing
    assert (
        client.post(reverse("login"), {"username": "zhou@example.com", "password": "Kaifang#2026"}).status_code == 302
    )


def test_a_mail_server_down_is_said_and_registering_again_resends(client, settings):
    settings.EMAIL_BACKEND = "tests.openness.test_registration.BrokenBackend"
    response = client.post(reverse("openness:register"), GOOD)
    assert response.status_code == 200 and "邮件暂时无法发送" in response.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(reverse("openness:register"), GOOD)
    assert len(mail.outbox) == 1 and "/open/register/confirm/" in mail.outbox[0].body


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
