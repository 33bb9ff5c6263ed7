"""One journey per role: sign in, see the right navigation, sign out; and the language switch."""

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.portal.test_navigation import EXPECTED, HOME_TITLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password=PASSWORD):
    """The sign-in form, then (SECURITY.md 14.15) for a user who needs it the second step, with the code the
    user's real TOTP device shows (tests/otp.py; made beforehand, as enrolment would)."""
    from accounts.services.second_factor import second_factor_required
    from portal.models import User
    from tests.otp import code_for_user, device_for

    user = User.objects.filter(username=username).first()
    second_step = user is not None and password == PASSWORD and second_factor_required(user)
    if second_step:
        device_for(user)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")
    if second_step:
        page.wait_for_selector("#id_otp_token")
        page.fill("#id_otp_token", code_for_user(user))
        page.click("[data-testid=otp-submit]")


@pytest.mark.parametrize("role", list(Role))
def test_role_journey_sign_in_navigation_sign_out(page, role):
    user = user_with_role(role)
    page.goto("/")
    expect(page.locator("[data-testid=sign-in]")).to_be_visible()
    sign_in(page, user.username)
    expect(page.locator("[data-testid=home-title]")).to_have_text(HOME_TITLES[role])
    keys = page.locator("[data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)")
    assert keys == EXPECTED[role]
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")
    expect(page.locator("[data-testid=sign-in]")).to_be_visible()
    expect(page.locator("[data-testid=open-data-title]")).to_be_visible()


def test_wrong_password_shows_a_chinese_error(page):
    user = user_with_role(Role.DEPARTMENT_STAFF)
    sign_in(page, user.username, "Wrong#pass1")
    expect(page.locator("[data-testid=login-error]")).to_contain_text("用户名或密码不正确")


def test_language_switch_to_english_and_back(page):
    page.goto("/")
    expect(page.locator("[data-testid=open-data-title]")).to_have_text("政务数据开放")
    page.select_option("[data-testid=language-form] select", "en")
    expect(page.locator("[data-testid=open-data-title]")).to_have_text("Open Government Data")
    expect(page.locator("[data-testid=sign-in]")).to_have_text("Sign in")
    page.wait_for_load_state()  # the page's script listens for the switch once loaded
    page.select_option("[data-testid=language-form] select", "zh-hans")
    expect(page.locator("[data-testid=open-data-title]")).to_have_text("政务数据开放")


def test_bureau_admin_computes_a_deadline_with_htmx(page):
    admin = user_with_role(Role.BUREAU_ADMIN)
    sign_in(page, admin.username)
    page.click("[data-nav=calendar]")
    page.fill("#id_start", "2026-04-30")
    page.fill("#id_days", "5")
    page.click("#deadline-form button[type=submit]")
    expect(page.locator("[data-testid=deadline-result]")).to_contain_text("2026-05-11")
    assert page.url.endswith("/calendar/")  # answered in place, no page load
