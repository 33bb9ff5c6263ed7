"""Sharing journey (docs/features.md S1-S8): staff of department B applies for department A's conditional resource; an
officer of A approves it narrowed; B queries the granted items through the API with its token and
is refused on another item; an unanswered application becomes overdue and lands in the bureau's
inbox, where a reviewer rules in the provider's place."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sharing.models import Application, Deadline, Grant
from sharing.services import deadlines
from tests.browser.test_catalog_journey import sign_out
from tests.browser.test_journeys import sign_in
from tests.factories import PASSWORD
from tests.sharing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_approve_narrowed_use_by_token_and_escalate_when_overdue(page):
    w = factories.world()  # A: provider with a loaded conditional resource; B: applicant department

    sign_in(page, w.applicant.username)
    page.click("[data-nav=sharing]")
    page.click("[data-testid=new-application]")
    page.fill("[data-testid=entry-search]", "最低生活保障")
    page.click("[data-testid=entry-search-submit]")
    page.click(f"[data-testid=apply-{w.entry.code}]")
    expect(page.locator("[data-testid=apply-entry]")).to_have_text("最低生活保障对象信息")
    page.fill("#id_purpose", "核定低保待遇，核实申请人身份和所属区县")
    page.fill("#id_scenario_text", "社会救助待遇审核")
    for key in ("id_number", "name", "district", "amount"):
        page.check(f"input[name=items][value={key}]")
    page.select_option("#id_mode", "query")
    page.fill("#id_end_date", (timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.click("[data-testid=submit-application]")
    expect(page.locator("[data-testid=status]").first).to_have_text("待审核")
    expect(page.locator("[data-testid=deadline]")).to_contain_text("办理期限")
    sign_out(page)

    sign_in(page, w.provider_officer.username)
    page.click("[data-nav=sharing-review]")
    page.click("[data-testid=review-row] a")
    page.uncheck("[data-testid=approve-form] input[name=items][value=name]")
    page.uncheck("[data-testid=approve-form] input[name=items][value=amount]")
    page.fill("[data-testid=approve-form] #id_note", "按最小授权，只提供身份证号和所属区县")
    page.click("[data-testid=approve-application]")
    expect(page.locator("[data-testid=status]").first).to_have_text("已授权")
    page.click("[data-testid=open-grant]")
    expect(page.locator("[data-testid=granted-items]")).to_have_text("身份证号、所属区县")
    sign_out(page)

    grant = Grant.objects.get()
    token = page.request.post("/api/auth/token/", data={"username": w.applicant.username, "password": PASSWORD})
    assert token.ok, token.text()
    auth = {"Authorization": f"Token {token.json()['token']}"}
    rows = page.request.get(f"/api/sharing/grants/{grant.pk}/query/?district=东城区", headers=auth)
    assert rows.status == 200
    data = rows.json()
    assert data["count"] == 7 and set(data["rows"][0]) == {"id_number", "district"}
    assert data["rows"][0]["id_number"].startswith("**************")
    refused = page.request.get(f"/api/sharing/grants/{grant.pk}/query/?items=amount", headers=auth)
    assert refused.status == 403
    assert refused.json()["code"] == "item_not_granted" and "月保障金额（元）" in refused.json()["detail"]

    sign_in(page, w.applicant.username)
    page.click("[data-nav=sharing]")
    page.click("[data-testid=tab-grants]")
    page.click("[data-testid=grant-row] a")
    page.fill("#f_district", "南湖区")
    page.click("[data-testid=run-query]")
    expect(page.locator("[data-testid=query-result]")).to_contain_text("共 2 行")
    page.click("[data-nav=sharing]")
    page.click("[data-testid=tab-usage]")
    page.click("[data-testid=usage-used]")
    expect(page.locator("[data-testid=usage-row]")).to_have_count(3)  # API query, API refusal, web query
    sign_out(page)

    # A second application nobody answers: its deadline passes, the periodic sweep escalates it.
    unanswered = factories.apply(w, mode="compare", items=["id_number", "name"])
    past = timezone.now() - dt.timedelta(days=12)
    Deadline.objects.filter(application=unanswered).update(
        received_at=past, remind_at=past + dt.timedelta(days=5), due_at=past + dt.timedelta(days=7)
    )
    assert deadlines.sweep_deadlines()["escalated"] == 1

    sign_in(page, w.reviewer.username)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("1")
    page.click("[data-testid=inbox-link]")
    item = page.locator("[data-testid=inbox-item][data-kind='sharing.escalated']")
    expect(item).to_contain_text("逾期未审核的共享申请")
    expect(item).to_contain_text("超期")
    item.locator("a").click()
    expect(page.locator("[data-testid=escalated-notice]")).to_be_visible()
    page.fill("#id_reason", "申请部门职责不涉及，经大数据局裁决不予授权")
    page.click("[data-testid=refuse-application]")
    expect(page.locator("[data-testid=status]").first).to_have_text("未通过")
    unanswered.refresh_from_db()
    assert unanswered.status == Application.Status.REFUSED and unanswered.decided_by == w.reviewer
