"""Open-data journey (docs/features.md O1-O6): a data officer proposes a dataset from a catalog resource (the masking check
refuses an unmasked ID number, a masking rule fixes it), the bureau reviewer approves it, and an
anonymous visitor finds it by search on the public pages and downloads it."""

import csv
import io

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.browser.test_journeys import sign_in
from tests.factories import user_with_role
from tests.openness.factories import company, entry_with_rows, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")


def test_propose_review_find_and_download(page):
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    rows = [company(1), company(2, note=f"联系人身份证 {make_id(9)}"), company(3)]
    entry_with_rows(officer, rows, reviewer=reviewer, name="企业登记信息")

    sign_in(page, officer.username)
    page.click("[data-nav=open-publish]")
    page.click("[data-testid=propose-entry]")
    page.fill("#id_title", "示范市企业名录")
    page.fill("#id_summary", "全市企业的名称、信用代码和成立日期，每月更新")
    page.click("[data-testid=submit-proposal]")
    expect(page.locator("[data-testid=proposal-errors]")).to_contain_text("备注")
    expect(page.locator("[data-testid=proposal-errors]")).to_contain_text("身份证号")
    page.select_option("#id_rule_note", "hash")
    page.click("[data-testid=submit-proposal]")
    expect(page.locator("[data-testid=status]")).to_have_text("待审核")
    expect(page.locator("[data-testid=check-report]")).to_contain_text("已扫描 3 行")
    sign_out(page)

    sign_in(page, reviewer.username)
    page.click("[data-nav=open-review]")
    page.click("text=示范市企业名录")
    expect(page.locator("[data-testid=masked-preview]")).to_contain_text("***")
    page.click("[data-testid=approve-version]")
    expect(page.locator("[data-testid=status]")).to_have_text("已发布")
    sign_out(page)

    page.goto("/")
    page.fill("[data-testid=landing-search]", "企业名录")
    page.click("[data-testid=landing-search-submit]")
    expect(page.locator("[data-testid=dataset-result]")).to_have_count(1)
    page.click("[data-testid=dataset-link]")
    expect(page.locator("[data-testid=dataset-title]")).to_have_text("示范市企业名录")
    expect(page.locator("[data-testid=dataset-preview]")).to_contain_text("示范市华泰商贸有限公司2")
    expect(page.locator("[data-testid=dataset-preview]")).not_to_contain_text(make_id(9))
    with page.expect_download() as info:
        page.click("[data-testid=download-csv]")
    download = info.value
    text = open(download.path(), encoding="utf-8-sig").read()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:2] == ["统一社会信用代码", "企业名称"] and len(table) == 4
    assert make_id(9) not in text and download.suggested_filename.endswith(".csv")
