"""Workplace journey (docs/features.md P2, P3): a reviewer sees the count in the navigation bar, opens the inbox, decides the
most urgent item and the count drops; the bureau opens the dashboard and the charts render."""

import pytest
from playwright.sync_api import expect

from catalog.services import entries
from portal.roles import Role
from tests.browser.test_journeys import sign_in
from tests.catalog.factories import draft
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inbox_decision_and_dashboard_charts(page, tmp_path):
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    for name in ("最早提交的资源", "后提交的资源"):
        entries.entry_submit(actor=officer, entry=draft(officer, name=name))

    sign_in(page, reviewer.username)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("2")
    page.click("[data-testid=inbox-link]")
    first = page.locator("[data-testid=inbox-item]").first
    expect(first).to_contain_text("最早提交的资源")
    first.locator("a").click()
    page.click("[data-testid=approve-entry]")
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("1")

    page.click("[data-nav=dashboard]")
    # the portal's one chart renderer (static/portal/charts.js on ECharts, issue 19 part 7)
    expect(page.locator("[data-testid=chart-ranking][data-chart-drawn] canvas").first).to_be_visible()
    expect(page.locator("[data-testid=ranking-table]")).to_be_visible()
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
