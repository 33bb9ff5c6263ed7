"""Incident journey (Lhasa art. 38-39, Tongren art. 36, Sixian art. 39): a data officer reports an
incident in the browser; the bureau takes it in hand, suspends the account that was misused, notifies
the affected department, generates the report for the competent authority and downloads it, marks the
incident contained, lifts the hold (the account is active again) and closes it."""

import io

import docx
import pytest
from playwright.sync_api import expect

from portal.models import Notification
from portal.roles import Role
from secops.incidents.models import Incident
from tests.browser.test_catalog_journey import sign_out
from tests.browser.test_journeys import sign_in
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_contain_notify_report_upward_and_close_an_incident(page, tmp_path):
    officer = user_with_role(Role.DATA_OFFICER, username="sec_officer")
    misused = user_with_role(Role.DEPARTMENT_STAFF, department=officer.department, username="sec_staff")
    admin = user_with_role(Role.BUREAU_ADMIN, username="sec_admin")

    sign_in(page, officer.username)
    page.goto("/secops/incidents/")
    page.click("[data-testid=report-incident]")
    page.fill("#id_title", "工作人员账号异地登录")
    page.select_option("#id_kind", "account")
    page.select_option("#id_level", "larger")
    page.fill("#id_description", "凌晨发现该账号在外省地址登录并批量查阅数据。")
    page.fill("#id_exposed", "低保对象姓名、身份证号")
    page.fill("#id_advice", "请核对本部门近期使用记录。")
    page.select_option("#id_departments", str(officer.department.pk))
    page.fill("#id_users", misused.username)
    page.click("[data-testid=submit-report]")
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("已报告")
    incident = Incident.objects.get()
    sign_out(page)

    sign_in(page, admin.username)
    page.goto(f"/secops/incidents/{incident.pk}/")
    page.click("[data-testid=move-handle]")
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("处置中")

    page.click("[data-testid=notify]")
    expect(page.locator("[data-testid=notices]")).to_contain_text(misused.username)
    assert Notification.objects.filter(user=misused, kind="incidents.notice").exists()

    page.select_option("[data-testid=contain-form] select[name=kind]", "user")
    page.fill("[data-testid=contain-form] input[name=user]", misused.username)
    page.fill(
        "[data-testid=contain-form] textarea[name=reason], [data-testid=contain-form] input[name=reason]",
        "账号疑似被盗用",
    )
    page.click("[data-testid=contain]")
    expect(page.locator("[data-testid=holds]")).to_contain_text("生效中")
    misused.refresh_from_db()
    assert not misused.is_active

    page.click("[data-testid=report-upward]")
    with page.expect_download() as report:
        page.click("[data-testid=report-download]")
    saved = tmp_path / "report.docx"
    report.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "工作人员账号异地登录" in text and "停用账号" in text

    page.fill("[data-testid=move-form] textarea[name=note]", "已重置密码并核查使用记录。")
    page.click("[data-testid=move-contain]")
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("已控制")
    page.fill("[data-testid=holds] input[name=reason]", "密码已重置")
    page.click("[data-testid=lift]")
    expect(page.locator("[data-testid=holds]")).to_contain_text("已解除")
    page.fill("[data-testid=move-form] textarea[name=note]", "事件处置完毕，已整改。")
    page.click("[data-testid=move-close]")
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("已关闭")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("事件已关闭")
    misused.refresh_from_db()
    assert misused.is_active and Incident.objects.get().status == Incident.Status.CLOSED
