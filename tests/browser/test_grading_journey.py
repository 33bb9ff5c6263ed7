"""Grading journey (docs/grading.md, Lhasa art. 39): an officer proposes grades beside the suggestion,
the bureau reviewer sees proposal and suggestion in the review and confirms with a change; the entry
page shows the confirmed grades; the bureau admin renames a level on the levels page."""

import pytest
from playwright.sync_api import expect

from catalog.services import entries
from portal.roles import Role
from tests.browser.test_journeys import sign_in
from tests.catalog.factories import content, items
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")


def test_propose_review_confirm_and_rename(page, tmp_path):
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    admin = user_with_role(Role.BUREAU_ADMIN)
    rows = items() + [{"key": "legal_mobile", "name": "法定代表人手机", "type": "phone"}]
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=rows)

    sign_in(page, officer.username)
    page.goto(f"/catalog/{entry.pk}/edit/")
    expect(page.locator("[data-testid=grade-suggestion]").nth(3)).to_contain_text("建议：3 级")
    for n in range(3):
        page.select_option(f"#id_items-{n}-grade_level", "1")
    page.select_option("#id_items-3-grade_level", "3")
    page.click("[data-testid=save-entry]")
    expect(page.locator("[data-testid=item-grade]").nth(3)).to_contain_text("3 敏感 · 待确认")
    page.click("[data-testid=submit-entry]")
    sign_out(page)

    sign_in(page, reviewer.username)
    page.click("[data-nav=catalog-review]")
    page.click("text=企业营业执照信息")
    expect(page.locator("[data-testid=grade-review]")).to_contain_text("3（电话号码）")
    page.select_option("select[name=grade_legal_mobile]", "4")
    page.click("[data-testid=approve-entry]")
    expect(page.locator("[data-testid=status]").first).to_have_text("已发布")
    expect(page.locator("[data-testid=entry-grade]")).to_contain_text("4 高度敏感 · 已确认")
    expect(page.locator("[data-testid=item-grade]").nth(3)).to_contain_text("4 高度敏感 · 已确认")
    shot = tmp_path / "grades.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    sign_out(page)

    sign_in(page, admin.username)
    page.click("[data-nav=grading-levels]")
    page.locator("input[name=name]").nth(3).fill("机密")
    page.click("[data-testid=save-level-4]")
    expect(page.locator("[data-testid=grade-levels]")).to_contain_text("4")
    page.goto(f"/catalog/{entry.pk}/")
    expect(page.locator("[data-testid=entry-grade]")).to_contain_text("4 机密")
