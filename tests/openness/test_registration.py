"""Public users register themselves (real name, e-mail, phone, strong password) and get the public role."""
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import User
from portal.roles import Role

pytestmark = pytest.mark.django_db

GOOD = {"real_name": "周公众", "email": "Zhou@Example.com", "phone": "138 1234 5678",
        "password1": "Kaifang#2026", "password2": "Kaifang#2026"}


def test_registration_creates_a_public_user_and_signs_in(client):
    response = client.post(reverse("openness:register"), GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="zhou@example.com")
    assert user.real_name == "周公众" and user.phone == "13812345678" and user.department is None
    assert user.roles == [Role.PUBLIC]
    assert client.get(reverse("openness:keys")).status_code == 200
    assert AuditEntry.objects.filter(action="openness.user.register", actor_id=user.pk).exists()
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "zhou@example.com", "password": "Kaifang#2026"})
    assert signed_in.status_code == 302


@pytest.mark.parametrize("field, value, message", [
    ("password1", "abcdefgh", "特殊字符"),
    ("phone", "12345", "手机号码"),
    ("email", "not-an-email", "邮箱"),
    ("real_name", "", "必填"),
])
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_is_created(client, field, value, message):
    data = {**GOOD, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("openness:register"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhou@example.com").exists()


def test_an_email_registers_once(client):
    client.post(reverse("openness:register"), GOOD)
    client.logout()
    response = client.post(reverse("openness:register"), {**GOOD, "email": "ZHOU@example.com"})
    assert response.status_code == 400 and "已注册" in response.content.decode()
