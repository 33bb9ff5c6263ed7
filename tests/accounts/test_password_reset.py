"""Password reset by e-mail (SECURITY.md, web security): the same answer for known and unknown addresses, a link
that works once, the portal's password rule, a limit per client address, and the audit log."""

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

NEW = "Chongshe#2026"


def _client():
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")


def _link(message):
    line = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    return re.sub(r"^https?://[^/]+", "", line.strip())


def _page(response):
    return re.sub(r"[A-Za-z0-9_-]{32,}", "TOKEN", response.content.decode())


def test_a_known_address_gets_a_link_that_sets_a_new_password_once():
    user = user_with_role(Role.PUBLIC, email="li@example.com")
    client = _client()
    response = client.post(reverse("password_reset"), {"email": "LI@example.com"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.com"]
    assert "重设密码" in mail.outbox[0].subject
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)  # Django moves the token into the session, then shows the form
    assert form.status_code == 200 and "设置新密码" in form.content.decode()
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert weak.status_code == 400 and "特殊字符" in weak.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.filter(action="portal.password.reset", actor_id=user.pk).exists()
    request = AuditEntry.objects.get(action="portal.password.reset.request")
    assert request.detail == {"email": "li@example.com", "accounts": 1}
    again = _client().get(link, follow=True)  # used: refused
    assert "无效或已过期" in again.content.decode()


def test_an_unknown_or_unconfirmed_address_gets_the_same_answer_and_no_mail():
    user_with_role(Role.PUBLIC, email="known@example.com")
    user_with_role(Role.PUBLIC, email="pending@example.com", is_active=False)
    answers = {}
    for email in ("known@example.com", "nobody@example.com", "pending@example.com"):
        client = _client()
        response = client.post(reverse("password_reset"), {"email": email})
        answers[email] = (response.status_code, response.url, _page(client.get(response.url)))
    assert answers["known@example.com"] == answers["nobody@example.com"] == answers["pending@example.com"]
    assert [m.to for m in mail.outbox] == [["known@example.com"]]
    assert (
        AuditEntry.objects.get(action="portal.password.reset.request", detail__email="nobody@example.com").detail[
            "accounts"
        ]
        == 0
    )


@pytest.mark.parametrize("data", [{}, {"email": "not-an-address"}, {"email": "x" * 300 + "@example.com"}])
def test_bad_input_is_a_form_error(data):
    response = _client().post(reverse("password_reset"), data)
    assert response.status_code == 400 and 'class="invalid-feedback' in response.content.decode()
    assert not mail.outbox


def test_requests_over_the_hourly_limit_are_refused(settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    user_with_role(Role.PUBLIC, email="many@example.com")
    client = _client()
    codes = [client.post(reverse("password_reset"), {"email": "many@example.com"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2
    refused = client.post(reverse("password_reset"), {"email": "many@example.com"})
    assert "过于频繁" in refused.content.decode()


def test_a_mail_server_down_gives_the_same_answer_and_is_audited(settings):
    settings.EMAIL_BACKEND = "tests.openness.test_registration.BrokenBackend"
    user_with_role(Role.PUBLIC, email="down@example.com")
    response = _client().post(reverse("password_reset"), {"email": "down@example.com"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert AuditEntry.objects.filter(action="portal.password.reset.mail_failed", outcome="failure").exists()


def test_the_sign_in_page_links_to_the_reset():
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()
