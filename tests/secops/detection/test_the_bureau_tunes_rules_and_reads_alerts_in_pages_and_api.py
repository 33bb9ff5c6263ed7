"""Pages and API of detection: the bureau admin switches and tunes the rules (audited; bad numbers
answer a form error or HTTP 400 in Chinese and change nothing); the alerts list their evidence with
links to the audit entries; the API closes an alert like the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Outcome
from secops.detection.models import Alert, DetectionRule
from tests.secops.detection.conftest import alerts, only, run

pytestmark = pytest.mark.django_db


def test_the_bureau_admin_edits_a_rule_in_the_browser(client, bureau_admin):
    client.force_login(bureau_admin)
    page = client.get(reverse("detection:rules"))
    assert page.status_code == 200 and "同一地址集中锁定账号" in page.content.decode()
    rule = DetectionRule.objects.get(code="lockout")
    answer = client.post(reverse("detection:rule_edit", args=[rule.pk]), {"threshold": 7, "factor": "1", "window": 30})
    assert answer.status_code == 302
    rule.refresh_from_db()
    assert (rule.enabled, rule.threshold, rule.window, rule.changed_by) == (False, 7, 30, bureau_admin)
    entry = AuditEntry.objects.get(action="detection.rule.change", object_id=str(rule.pk))
    assert entry.detail["before"]["threshold"] == "3" and entry.detail["after"]["enabled"] == "False"


def test_bad_numbers_are_refused_with_a_form_error_and_change_nothing(client, bureau_admin):
    client.force_login(bureau_admin)
    rule = DetectionRule.objects.get(code="lockout")
    answer = client.post(reverse("detection:rule_edit", args=[rule.pk]), {"threshold": 0, "factor": "x", "window": 5})
    assert answer.status_code == 200 and 'data-testid="field-error"' in answer.content.decode()
    rule.refresh_from_db()
    assert rule.threshold == 3 and rule.changed_at is None


def test_the_api_changes_a_rule_and_answers_400_to_bad_input(client, bureau_admin, reviewer):
    client.force_login(bureau_admin)
    rule = DetectionRule.objects.get(code="volume")
    url = reverse("detection-rule-detail", args=[rule.pk])
    answer = client.patch(url, {"factor": "8.5", "enabled": False}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["factor"] == "8.50" and answer.json()["enabled"] is False
    for bad in ({"threshold": "many"}, {"factor": 0}, {"window": -1}, {"threshold": None}):
        assert client.patch(url, bad, content_type="application/json").status_code == 400
    rule.refresh_from_db()
    assert str(rule.factor) == "8.50" and rule.threshold == 20
    listed = client.get(reverse("detection-rule-list"))
    assert {r["code"] for r in listed.json()} >= {"chain_failed", "orphan_key"}
    client.force_login(reviewer)
    assert client.patch(url, {"threshold": 3}, content_type="application/json").status_code in (403, 404)


def test_alerts_show_their_evidence_and_are_closed_through_the_api(client, write, reviewer, auditor):
    rule = only("lockout")
    entries = [write("auth.locked_out", ip="203.0.113.7", outcome=Outcome.DENIED) for _ in range(rule.threshold)]
    run()
    (alert,) = alerts("lockout")
    client.force_login(auditor)
    page = client.get(reverse("detection:alert", args=[alert.pk])).content.decode()
    assert all(reverse("audit:entry", args=[e.pk]) in page for e in entries)
    assert 'data-testid="close-form"' not in page
    listed = client.get(reverse("detection-alert-list")).json()
    assert [a["id"] for a in listed["results"]] == [alert.pk]
    detail = client.get(reverse("detection-alert-detail", args=[alert.pk])).json()
    assert [e["audit_entry_id"] for e in detail["evidence"]] == [e.pk for e in entries]
    close = reverse("detection-alert-close", args=[alert.pk])
    assert client.post(close, {"note": "看过"}, content_type="application/json").status_code == 403
    client.force_login(reviewer)
    assert client.post(close, {}, content_type="application/json").status_code == 400
    answer = client.post(close, {"note": "已核实为压力测试。"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "closed"
    assert Alert.objects.get().closed_by == reviewer


def test_the_edit_page_shows_the_rules_current_values(client, bureau_admin):
    client.force_login(bureau_admin)
    rule = DetectionRule.objects.get(code="volume")
    page = client.get(reverse("detection:rule_edit", args=[rule.pk])).content.decode()
    assert 'name="threshold" value="20"' in page and 'name="window" value="14"' in page and "checked" in page


def test_a_warning_is_reported_as_an_incident_once_by_the_bureau(client, write, reviewer, auditor):
    rule = only("lockout")
    entries = [write("auth.locked_out", ip="203.0.113.8", outcome=Outcome.DENIED) for _ in range(rule.threshold)]
    run()
    (alert,) = alerts("lockout")
    assert alert.incident is None
    client.force_login(auditor)
    assert client.post(reverse("detection:alert_escalate", args=[alert.pk])).status_code == 403
    client.force_login(reviewer)
    answer = client.post(reverse("detection:alert_escalate", args=[alert.pk]))
    assert answer.status_code == 302
    alert.refresh_from_db()
    incident = alert.incident
    assert incident.reported_by == reviewer and alert.kind == Alert.Kind.INCIDENT
    assert sorted(incident.evidence.values_list("audit_entry_id", flat=True)) == sorted(e.pk for e in entries)
    assert AuditEntry.objects.filter(action="detection.alert.escalate", object_id=str(alert.pk)).count() == 1
    again = client.post(reverse("detection-alert-escalate", args=[alert.pk]), content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "already_reported"
