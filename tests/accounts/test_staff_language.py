"""P4: the account pages switch to English with the language switch, roles included."""

import pytest
from django.urls import reverse

from tests.accounts.staff_world import URLS

pytestmark = [pytest.mark.django_db, URLS]


def test_the_account_pages_read_in_english(client, world):
    client.force_login(world.admin)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert '<html lang="en">' in listing
    assert "Sign-in lock" in listing and "All roles" in listing and "登录锁定" not in listing
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert "The link to set the password is sent to this address" in form
    assert "大数据局管理员" not in form
    refused = client.post(reverse("accounts:user_create"), {"username": "x y", "real_name": "", "roles": []})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Enter the real name." in body and "Choose at least one role." in body


def test_chinese_stays_the_default(client, world):
    client.force_login(world.admin)
    assert "登录锁定" in client.get(reverse("accounts:user_list")).content.decode()
