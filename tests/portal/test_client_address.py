"""SECURITY.md 14.8: behind N trusted proxies the client address is the N-th X-Forwarded-For value from the
right, never what the client wrote at the left; one helper gives it to the audit log, the sign-in
lock-out (axes), the password-reset limit and the open-data rate limits."""

import random

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from portal.request_context import client_ip

pytestmark = pytest.mark.django_db

FORGED = "203.0.113.66"  # what an attacker puts in the header it sends


def _ip(**meta):
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    "proxies, header, expected",
    [
        (0, f"{FORGED}, 198.51.100.7", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, f"{FORGED}, 198.51.100.7", "198.51.100.7"),  # our proxy appended the real client
        (1, "198.51.100.7", "198.51.100.7"),
        (2, f"{FORGED}, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer values than proxies: the leftmost
        (1, f"{FORGED}, not-an-address", "10.0.0.1"),  # a broken trusted value: the peer's address
    ],
)
def test_the_address_counts_trusted_proxies_from_the_right(settings, proxies, header, expected):
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    assert _ip(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header) == expected


def test_trust_proxy_headers_alone_means_one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.PORTAL = {**settings.PORTAL, "TRUST_PROXY_HEADERS": True}
    assert _ip(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{FORGED}, 198.51.100.7") == "198.51.100.7"
    assert _ip(REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=FORGED) == "10.0.0.1"  # X-Real-IP is never read


def test_axes_and_drf_use_the_same_address(settings):
    from rest_framework.settings import api_settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.request_context.client_ip"
    assert api_settings.NUM_PROXIES == settings.AXES_IPWARE_PROXY_COUNT


def test_audit_and_lock_out_record_the_real_client_not_the_forged_one(settings, staff, password):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.1")
    headers = {"HTTP_X_FORWARDED_FOR": f"{FORGED}, 198.51.100.7"}
    client.post(reverse("login"), {"username": staff.username, "password": "Wrong#pass1"}, **headers)
    assert AuditEntry.objects.get(action="auth.login_failed").client_ip == "198.51.100.7"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]
    client.post(reverse("login"), {"username": staff.username, "password": password}, **headers)
    assert AuditEntry.objects.get(action="auth.login").client_ip == "198.51.100.7"


def test_a_forged_header_does_not_escape_the_address_limit(settings, make_user, password):
    """Changing the leftmost value each time is what the old helper believed: now the same address."""
    from portal.roles import Role

    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": f"nobody{n}", "password": "Wrong#pass1"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        )
    user = make_user(Role.DEPARTMENT_STAFF)
    refused = client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
    )
    assert refused.status_code == 429


def test_the_password_reset_limit_counts_the_real_client(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.PASSWORD_RESETS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="10.0.0.1")
    real = f"198.51.100.{random.randrange(2, 250)}"
    codes = [
        client.post(
            reverse("password_reset"), {"email": "x@example.com"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {real}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_open_data_rate_limits_count_the_real_client(settings, monkeypatch):
    from types import SimpleNamespace

    from openness import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_900_000_020.0))
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 2}
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    real = f"198.51.100.{random.randrange(2, 250)}"
    codes = [
        api.get("/api/open/datasets/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {real}").status_code for n in range(3)
    ]
    assert codes[-1] == 429
