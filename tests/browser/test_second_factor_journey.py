"""The second factor of SECURITY.md 14.15 in the browser: a reviewer without a device is sent to enrolment after the password,
scans (here: reads) the key, enters the app's code and reaches the portal; the QR code shows under the
Content-Security-Policy (the page fixture fails on any CSP violation)."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from portal.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.portal.test_navigation import HOME_TITLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_from_secret(secret: str) -> str:
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_reviewer_enrols_the_second_factor_at_the_first_sign_in(page, tmp_path):
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    page.goto("/accounts/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    expect(page.locator("[data-testid=otp-required]")).to_be_visible()
    assert page.locator("[data-nav]").count() == 0  # nothing of the portal before the second factor
    qr = page.locator("[data-testid=otp-qr]")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    for width in (1366, 390):  # kept for a look at the enrolment page on a desk and a phone
        page.set_viewport_size({"width": width, "height": 900})
        shot = tmp_path / f"otp-setup-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    secret = page.locator("[data-testid=otp-secret]").inner_text()
    page.fill("#id_otp_token", _code_from_secret(secret))
    page.click("[data-testid=otp-submit]")
    expect(page.locator("[data-testid=home-title]")).to_have_text(HOME_TITLES[Role.BUREAU_REVIEWER])
