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
