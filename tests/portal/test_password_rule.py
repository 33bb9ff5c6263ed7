"""Seed 004: passwords of at least 8 characters with letters, digits and special characters."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.validators import PasswordComplexityValidator


@pytest.mark.parametrize("password", ["Shuju#2026", "a1!bcdefg", "Zheng-Wu-2026", "数据a1!bcdef"])
def test_strong_passwords_pass(password):
    PasswordComplexityValidator().validate(password)


@pytest.mark.parametrize(
    "password, message",
    [
        ("a1!b", "至少为 8 个字符"),
        ("abcdefgh!", "必须包含数字"),
        ("12345678!", "必须包含字母"),
        ("abcd12345", "必须包含特殊字符"),
        ("abcd 1234", "必须包含特殊字符"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_message(password, message):
    with pytest.raises(ValidationError) as exc:
        PasswordComplexityValidator().validate(password)
    assert any(message in m for m in exc.value.messages)


@pytest.mark.django_db
def test_the_rule_is_one_of_the_configured_validators():
    with pytest.raises(ValidationError):
        validate_password("abcdefgh1")
    validate_password("Shuju#2026")


@pytest.mark.django_db
def test_password_change_page_refuses_a_weak_password(client, staff, password):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"},
    )
    assert response.status_code == 200
    assert "密码必须包含特殊字符" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(password)


@pytest.mark.django_db
def test_password_change_page_accepts_a_strong_password(client, staff, password):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xin-Mima#88", "new_password2": "Xin-Mima#88"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Xin-Mima#88")
