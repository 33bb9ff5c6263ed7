"""Tongren art. 36, Sixian art. 39: the affected are told (in the portal and by e-mail, recipients
recorded); the report for the competent authority is a Word file in Chinese from the bureau's template."""

import io

import docx
import pytest

from audit.models import AuditEntry
from portal.errors import DomainError
from portal.models import Notification
from secops.incidents.services import notices, reports
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_the_affected_departments_officers_and_users_are_notified(officer, staff, handler):
    incident = reported(officer, departments=[officer.department], users=[staff])
    notice = notices.notify_affected(actor=handler, incident=incident)
    assert set(notice.recipients.all()) == {officer, staff}
    sent = Notification.objects.get(user=staff, kind="incidents.notice")
    assert "身份证号" in sent.body and "核对" in sent.body
    assert AuditEntry.objects.get(action="incidents.notify").detail["recipients"] == sorted([officer.pk, staff.pk])


def test_nobody_to_notify_is_refused(officer, handler):
    with pytest.raises(DomainError) as refused:
        notices.notify_affected(actor=handler, incident=reported(officer))
    assert refused.value.code == "no_recipients"


def test_the_report_upward_is_a_word_file_from_the_edited_template(officer, handler):
    incident = reported(officer)
    reports.template_save(actor=handler, body="# 报告：{{ 事件.名称 }}\n级别：{{ 事件.级别 }}\n")
    report = reports.report_upward(actor=handler, incident=incident)
    text = [p.text for p in docx.Document(io.BytesIO(reports.report_content(actor=handler, report=report))).paragraphs]
    assert text == ["报告：低保数据疑似外泄", "级别：较大"]
    incident.refresh_from_db()
    assert incident.upward_reported_at is not None
    assert AuditEntry.objects.filter(action="incidents.report_upward").exists()


def test_the_default_template_renders_the_timeline(officer, handler):
    text = reports.render_text(reported(officer))
    assert "低保数据疑似外泄" in text and "报告了" in text and "市委网信办" in text


def test_a_broken_template_is_refused(handler):
    with pytest.raises(DomainError) as refused:
        reports.template_save(actor=handler, body="{% for %}")
    assert refused.value.code == "bad_template"
