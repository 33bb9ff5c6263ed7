"""P1: an idle session expires after 30 minutes (setting); activity keeps it alive."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_idle_timeout_is_thirty_minutes_and_refreshed_by_every_request(settings, client, staff):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(staff)
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200
    refreshed = Session.objects.get(pk=session.pk).expire_date
    assert refreshed > timezone.now() + dt.timedelta(minutes=29)


def test_expired_session_sends_the_user_to_sign_in(client, staff):
    client.force_login(staff)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("department_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- SECURITY.md 14.15: an absolute lifetime besides the idle one ------------------------------------------
def _age_the_sign_in(client, hours):
    from config.middleware import SIGNED_IN_AT

    session = client.session
    session[SIGNED_IN_AT] = session[SIGNED_IN_AT] - hours * 3600
    session.save()


def test_an_active_session_ends_after_the_absolute_lifetime_and_says_why(settings, client, staff):
    assert settings.SESSION_ABSOLUTE_HOURS == 12
    client.force_login(staff)
    _age_the_sign_in(client, 11.9)
    assert client.get(reverse("department_list")).status_code == 200  # activity within the 12 hours
    _age_the_sign_in(client, 0.2)
    response = client.get(reverse("department_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "您已连续登录超过 12 小时，为保护账号安全已自动退出" in page.content.decode()
    from audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="auth.session.expired", actor_id=staff.pk).exists()


def test_the_api_answers_an_expired_session_with_401(settings, client, staff):
    settings.SESSION_ABSOLUTE_HOURS = 2
    client.force_login(staff)
    _age_the_sign_in(client, 2.1)
    response = client.get("/api/me/")
    assert response.status_code == 401 and response.json()["code"] == "session_expired"
    assert "2 小时" in response.json()["detail"]


def test_the_lifetime_counts_from_the_password_sign_in_not_from_the_last_request(settings, client, staff, password):
    from config.middleware import SIGNED_IN_AT

    client.post(reverse("login"), {"username": staff.username, "password": password})
    started = client.session[SIGNED_IN_AT]
    client.get(reverse("home"))
    assert client.session[SIGNED_IN_AT] == started
