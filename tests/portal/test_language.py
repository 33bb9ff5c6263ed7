"""P4: Simplified Chinese by default, English switchable, for pages, errors and the API."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_chinese_is_the_default(client):
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "政务数据开放" in body and "登录" in body


def test_switching_to_english_translates_the_pages(client, staff):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Open Government Data" in body and "Sign in" in body
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert "Department staff workspace" in body and "Sign out" in body


def test_switching_back_to_chinese(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "政务数据开放" in client.get(reverse("home")).content.decode()


def test_api_errors_follow_the_language(client):
    response = client.get("/api/calendar/deadline/", {"start": "x", "days": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403)
    assert "credentials" in response.json()["detail"].lower()


def test_validation_messages_are_translated():
    from django.core.exceptions import ValidationError

    from portal.validators import PasswordComplexityValidator

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        PasswordComplexityValidator().validate("abcdefgh1")
    assert "special character" in exc.value.messages[0]
