"""Certificates through the browser (河池 art. 40 数字证书): the bureau admin issues a department's
signing certificate from the certificates page, a bad validity is a message beside the field, and the
new certificate is listed; screenshots at 1366 and 390 px, in Chinese and in English."""

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from protection.signatures.models import Certificate
from tests.browser.test_journeys import sign_in
from tests.factories import DepartmentFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_admin_issues_a_department_certificate(page, tmp_path):
    department = DepartmentFactory(name="市交通运输局")
    admin = user_with_role(Role.BUREAU_ADMIN)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, admin.username)
    page.click("[data-nav=signatures-certificates]")
    form = page.locator("[data-testid=issue-certificate]")

    form.locator("select").select_option(label="市交通运输局")
    form.locator("input[type=number]").fill("0")
    form.locator("[data-testid=issue]").click()
    expect(page.locator("[data-testid=issue-certificate]")).to_contain_text("有效天数须在 1 到")
    assert not Certificate.objects.filter(key__department=department).exists()

    form = page.locator("[data-testid=issue-certificate]")
    form.locator("select").select_option(label="市交通运输局")
    form.locator("input[type=number]").fill("365")
    form.locator("[data-testid=issue]").click()
    issued = Certificate.objects.get(key__department=department)
    expect(page.locator("[data-testid=certificates]")).to_contain_text(issued.serial)
    page.screenshot(path=str(tmp_path / "certificates-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "certificates-390.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.select_option("[data-testid=language-form] select", "en")
    expect(page.locator("[data-testid=issue-certificate]")).to_contain_text("Validity (days)")
    page.screenshot(path=str(tmp_path / "certificates-en-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "certificates-en-390.png"), full_page=True)
    # the certificate table scrolls inside its own box on a phone instead of widening the page
    box = page.locator("[data-testid=certificates]").locator("xpath=..").bounding_box()
    assert box["x"] + box["width"] <= 390 + 1
