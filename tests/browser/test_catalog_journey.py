"""Catalog journey (docs/features.md C1-C7): a data officer registers an entry with items, loads a CSV and submits; a bureau
reviewer returns it with a reason; the officer fixes and resubmits; the reviewer approves; a member
of another department finds it by search."""

import pytest
from playwright.sync_api import expect
from stdnum.cn import uscc

from portal.roles import Role
from tests.browser.test_journeys import sign_in
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")


def test_register_load_review_and_find(page, tmp_path):
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    other = user_with_role(Role.DEPARTMENT_STAFF)

    sign_in(page, officer.username)
    page.click("[data-nav=catalog]")
    page.click("[data-testid=new-entry]")
    page.fill("#id_name", "企业营业执照信息")
    page.fill("#id_summary", "全市企业营业执照登记信息")
    page.select_option("#id_category", "department")
    page.select_option("#id_update_frequency", "daily")
    page.select_option("#id_share_type", "unconditional")
    page.select_option("#id_open_type", "unconditional")
    page.fill("#id_items-0-name", "统一社会信用代码")
    page.fill("#id_items-0-key", "uscc")
    page.select_option("#id_items-0-type", "uscc")
    page.check("#id_items-0-required")
    page.fill("#id_items-1-name", "企业名称")
    page.fill("#id_items-1-key", "company_name")
    page.click("[data-testid=save-entry]")
    expect(page.locator("[data-testid=entry-name]")).to_have_text("企业营业执照信息")
    expect(page.locator("[data-testid=entry-items]")).to_contain_text("统一社会信用代码")

    body = "91540100MA00000001"[:17]
    data = tmp_path / "licences.csv"
    data.write_text(
        f"统一社会信用代码,企业名称\n{body + uscc.calc_check_digit(body)},示范市华泰商贸有限公司\n", encoding="gbk"
    )
    page.set_input_files("#id_file", str(data))
    page.click("[data-testid=upload-data]")
    expect(page.locator("[data-testid=load-ok]")).to_contain_text("已归集 1 行")
    page.go_back()
    page.reload()
    expect(page.locator("[data-testid=row-preview]")).to_contain_text("示范市华泰商贸有限公司")
    page.click("[data-testid=submit-entry]")
    expect(page.locator("[data-testid=status]").first).to_have_text("待审核")
    sign_out(page)

    sign_in(page, reviewer.username)
    page.click("[data-nav=catalog-review]")
    page.click("text=企业营业执照信息")
    page.fill("[data-testid=return-reason]", "摘要需写明数据范围和更新方式")
    page.click("[data-testid=return-entry]")
    expect(page.locator("[data-testid=status]").first).to_have_text("已退回")
    sign_out(page)

    sign_in(page, officer.username)
    page.click("[data-nav=catalog]")
    page.click("text=企业营业执照信息")
    expect(page.locator("[data-testid=return-reasons]")).to_contain_text("摘要需写明数据范围")
    page.click("[data-testid=edit-entry]")
    page.fill("#id_summary", "全市企业营业执照登记信息，每日从登记系统更新")
    page.click("[data-testid=save-entry]")
    page.click("[data-testid=submit-entry]")
    expect(page.locator("[data-testid=status]").first).to_have_text("待审核")
    sign_out(page)

    sign_in(page, reviewer.username)
    page.click("[data-nav=catalog-review]")
    page.click("text=企业营业执照信息")
    page.click("[data-testid=approve-entry]")
    expect(page.locator("[data-testid=status]").first).to_have_text("已发布")
    sign_out(page)

    sign_in(page, other.username)
    page.click("[data-nav=catalog]")
    page.fill("[data-testid=catalog-search]", "营业执照")
    page.click("[data-testid=catalog-search-submit]")
    expect(page.locator("[data-testid=catalog-result]")).to_have_count(1)
    expect(page.locator("[data-testid=catalog-result]")).to_contain_text("企业营业执照信息")
    page.click("text=企业营业执照信息")
    expect(page.locator("[data-testid=entry-items]")).to_contain_text("企业名称")
    expect(page.locator("[data-testid=row-preview]")).to_have_count(0)  # rows: department, bureau, grant holders
