"""Browser test of the evaluation dashboard (issue 19 part 7) at 1366 px and 390 px: the bureau reads
the grouped key figures, the charts (ECharts through static/portal/charts.js, no English toolbox),
the ranking in rank order with its first column frozen while the table scrolls, and downloads the
Word report under its Chinese name; on a phone the ranking is one card per department and nothing
overflows the screen. A data officer sees their own department only. Screenshots are kept in the
test's tmp_path (under --basetemp), as the other browser tests keep them.

The browser runs in a thread of its own (as tests/audit/test_browser_journey.py does), so that it
never meets the session browser of tests/browser in the same thread."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect, sync_playwright

from accounts.services.second_factor import second_factor_required
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import PASSWORD
from tests.otp import code_for_user

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def in_browser(base_url: str, journey):
    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            try:
                return journey(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=180)


def _context(browser, base_url, width, height, state=None):
    context = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        accept_downloads=True,
        viewport={"width": width, "height": height},
        storage_state=state,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, violations


def _sign_in(page, username, code):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    if code:
        page.fill("#id_otp_token", code)
        page.click("[data-testid=otp-submit]")
    page.wait_for_load_state()


def _code(user):
    return code_for_user(user) if second_factor_required(user) else None


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_bureau_reads_the_dashboard_on_a_desktop_and_a_phone(two_years, reviewer, live_server, tmp_path):
    a, b = two_years
    code = _code(reviewer)
    officer = a.users.first()
    officer_code = _code(officer)

    def journey(browser):
        found = {}
        # -- 1366 px --------------------------------------------------------------------------
        context, page, violations = _context(browser, live_server.url, 1366, 900)
        _sign_in(page, reviewer.username, code)
        page.goto("/dashboard/?year=2026")
        expect(page.locator("h1")).to_have_text("全市政务数据考核")
        groups = page.locator("[data-testid=metric-group] h2")
        found["groups"] = groups.all_inner_texts()
        expect(page.locator("[data-metric=catalog_duties_on_time_rate]")).to_have_text("66.7%")
        found["trend"] = page.locator("[data-metric=catalog_duties_on_time_rate] ~ .kpi-trend").inner_text()
        # every chart drawn by ECharts, none with a toolbox (its titles would be English)
        charts = page.locator("[data-chart]")
        found["quiet"] = page.locator("[data-testid=quiet-metrics]").count()
        found["charts"] = charts.count()
        page.wait_for_function("document.querySelectorAll('[data-chart]:not([data-chart-drawn])').length === 0")
        expect(page.locator("[data-chart=chart-ranking] canvas").first).to_be_visible()
        found["english"] = page.evaluate(
            "['Save as Image','Restore','Data View','Zoom'].filter(t => document.body.innerText.includes(t))"
        )
        found["ranks"] = page.locator("[data-testid=ranking-row]").evaluate_all(
            "rows => rows.map(r => [r.dataset.rank, r.querySelector('th').innerText])"
        )
        # headers on one line: no header cell taller than the first one
        found["header_heights"] = page.locator("[data-testid=ranking-table] thead th").evaluate_all(
            "cells => cells.map(c => c.getBoundingClientRect().height)"
        )
        found["selects_clipped"] = page.locator("form select").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id)"
        )
        # the first column stays put while the table scrolls sideways
        wrap = page.locator(".ranking-wrap")
        first = page.locator("[data-testid=ranking-row] th").first
        before = first.bounding_box()["x"]
        found["scrollable"] = wrap.evaluate("w => w.scrollWidth > w.clientWidth")
        wrap.evaluate("w => { w.scrollLeft = 400; }")
        found["sticky_moved"] = abs(first.bounding_box()["x"] - before)
        found["score_moved"] = page.locator("[data-testid=ranking-row] td").first.bounding_box()["x"] - before
        found["desktop_overflow"] = not _no_horizontal_overflow(page)
        page.screenshot(path=str(tmp_path / "dashboard-1366.png"), full_page=True)
        with page.expect_download() as download_info:
            page.click("[data-testid=report-docx]")
        found["download"] = download_info.value.suggested_filename
        found["violations"] = list(violations)
        state = context.storage_state()  # the same signed-in session on the phone
        context.close()

        # -- 390 px ---------------------------------------------------------------------------
        context, page, violations = _context(browser, live_server.url, 390, 844, state)
        page.goto("/dashboard/?year=2026")
        page.wait_for_function("document.querySelectorAll('[data-chart]:not([data-chart-drawn])').length === 0")
        found["phone_overflow"] = not _no_horizontal_overflow(page)
        row = page.locator("[data-testid=ranking-row]").first
        found["phone_row_display"] = row.evaluate("r => getComputedStyle(r).display")
        found["phone_label"] = row.locator("td").first.evaluate("c => getComputedStyle(c, '::before').content")
        page.screenshot(path=str(tmp_path / "dashboard-390.png"), full_page=True)
        found["violations"] += violations
        context.close()

        # -- a data officer -------------------------------------------------------------------
        context, page, violations = _context(browser, live_server.url, 390, 844)
        _sign_in(page, officer.username, officer_code)
        page.goto("/dashboard/?year=2026")
        found["officer_h1"] = page.locator("h1").inner_text()
        found["officer_ranking"] = page.locator("[data-testid=ranking-table]").count()
        found["officer_value"] = page.locator("[data-metric=catalog_duties_on_time_rate]").inner_text()
        page.screenshot(path=str(tmp_path / "dashboard-officer-390.png"), full_page=True)
        context.close()
        return found

    found = in_browser(live_server.url, journey)
    assert found["groups"] == ["资源目录", "数据共享", "数据开放", "安全管理"]
    assert found["trend"].startswith("较上年 ▲ 上升 66.7 个百分点")  # 2025: 0 of 1 on time; 2026: 2 of 3
    # 资源目录 by 个 and by %, and the ranking; the other groups had nothing all year: named, not drawn
    assert found["charts"] == 3 and found["english"] == [] and found["quiet"] == 3
    assert found["ranks"][:2] == [["1", "1 甲局"], ["2", "2 乙局"]]
    assert max(found["header_heights"]) <= min(found["header_heights"]) + 1, found["header_heights"]
    assert found["selects_clipped"] == []
    assert found["scrollable"] and found["sticky_moved"] < 1 and found["score_moved"] < 0
    assert not found["desktop_overflow"] and not found["phone_overflow"]
    assert found["download"] == "2026年度政务数据共享开放考核报告.docx"
    assert found["phone_row_display"] == "block" and "综合得分" in found["phone_label"]
    assert found["officer_h1"] == "甲局考核情况" and found["officer_ranking"] == 0
    assert found["officer_value"] == "50.0%"  # 甲局 alone: 1 of its 2 duties on time (the city: 2 of 3)
    assert found["violations"] == []
    for name in ("dashboard-1366.png", "dashboard-390.png", "dashboard-officer-390.png"):
        assert (tmp_path / name).stat().st_size > 10_000
