"""Browser journey (A4): an auditor signs in, filters the log by department and action, opens an
entry, and exports the result.

The browser runs in a thread of its own (its own Playwright event loop), so that it never meets the
session browser of tests/browser in the same thread, whatever order the tests run in."""

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect, sync_playwright

from audit.models import AuditEntry
from audit.services import record
from portal.roles import Role
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import PASSWORD, DepartmentFactory, user_with_role
from tests.otp import code_for_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_browser(base_url: str, journey):
    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            try:
                context = browser.new_context(base_url=base_url, locale="zh-CN", accept_downloads=True)
                page = context.new_page()
                page.set_default_timeout(15000)
                return journey(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def test_auditor_filters_opens_and_exports(live_server):
    health, police = DepartmentFactory(name="市卫健委"), DepartmentFactory(name="市公安局")
    nurse = user_with_role(Role.DATA_OFFICER, department=health, real_name="护士长")
    officer = user_with_role(Role.DATA_OFFICER, department=police, real_name="警官")
    wanted = record("catalog.entry.update", actor=nurse, target=health, detail={"field": "summary"})
    record("sharing.grant.pull", actor=nurse)
    record("catalog.entry.update", actor=officer, target=police)
    auditor = user_with_role(Role.AUDITOR, real_name="赵审计")

    code = code_for_user(
        auditor
    )  # SECURITY.md 14.15: the auditor's second factor (computed here: the DB is this thread's)

    def journey(page):
        page.goto("/accounts/login/")
        page.fill("#id_username", auditor.username)
        page.fill("#id_password", PASSWORD)
        page.click("[data-testid=login-submit]")
        page.fill("#id_otp_token", code)
        page.click("[data-testid=otp-submit]")
        page.click("[data-nav=audit-log]")
        expect(page.locator("h1")).to_have_text("审计日志")

        page.select_option("#id_department", label="市卫健委")
        page.select_option("#id_action", value="catalog.entry.update")  # a pick-list of named actions
        page.click("[data-testid=filter-submit]")
        rows = page.locator("[data-testid=audit-table] tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("护士长")
        expect(rows.first).to_contain_text("修改目录")

        rows.first.locator("[data-testid=entry-link]").click()
        expect(page.locator("[data-testid=entry-title]")).to_contain_text(f"#{wanted.pk}")
        expect(page.locator("[data-testid=entry-department]")).to_have_text("市卫健委")
        page.go_back()

        with page.expect_download() as download_info:
            page.click("[data-testid=export-csv]")
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8-sig") as f:
            return list(csv.reader(io.StringIO(f.read())))

    exported = in_browser(live_server.url, journey)
    assert [int(r[0]) for r in exported[1:]] == [wanted.pk]
    export = AuditEntry.objects.get(action="audit.export", actor_id=auditor.pk)
    assert export.detail["rows"] == 1 and export.detail["filters"] == {
        "department": str(health.pk),
        "action": "catalog.entry.update",
    }
    assert AuditEntry.objects.filter(action="audit.entry.view", actor_id=auditor.pk, object_id=str(wanted.pk)).exists()
