"""Detection journey (Tongren art. 35 安全监测, Lhasa art. 39): the bureau admin tightens a rule in
the browser; lock-outs from one address are recorded; the beat task's pass raises a warning; the
admin finds it in the alerts list with its evidence linked to the audit entries and closes it with
what was found."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from audit.models import AuditEntry, Outcome
from audit.services import record
from portal.roles import Role
from secops.detection.models import Alert, DetectionRule
from secops.detection.tasks import detect
from tests.browser.test_journeys import sign_in
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tune_a_rule_then_read_and_close_the_alert_it_raises(page):
    admin = user_with_role(Role.BUREAU_ADMIN, username="det_admin")
    sign_in(page, admin.username)
    page.goto("/secops/detection/rules/")
    rule = DetectionRule.objects.get(code="lockout")
    page.click("[data-testid=rule-lockout] a")
    page.fill("#id_threshold", "2")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=rule-lockout]")).to_contain_text("2")
    rule.refresh_from_db()
    assert rule.threshold == 2

    request = SimpleNamespace(client_ip="203.0.113.50", request_id="", user=None)
    entries = [
        record("auth.locked_out", outcome=Outcome.DENIED, detail={"username": name}, request=request)
        for name in ("zhang", "li")
    ]
    detect()

    page.goto("/secops/detection/")
    expect(page.locator("[data-testid=alerts]")).to_contain_text("203.0.113.50")
    page.click("[data-testid=alerts] a")
    for entry in entries:
        expect(page.locator(f"[data-testid=evidence] a[href='/audit/entries/{entry.pk}/']")).to_be_visible()
    page.fill("#id_note", "核实为测试机房的自动化脚本，已停用。")
    page.click("[data-testid=close]")
    expect(page.locator("[data-testid=alert-status]")).to_contain_text("已处理")
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.CLOSED and alert.closed_by == admin
    assert AuditEntry.objects.filter(action="detection.rule.change", actor_id=admin.pk).exists()
    assert AuditEntry.objects.filter(action="detection.alert.close", actor_id=admin.pk).exists()
