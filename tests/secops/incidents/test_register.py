"""Lhasa art. 38-39: data officers of any department (and the system) report incidents; the bureau
handles them through 已报告 → 处置中 → 已控制 → 已关闭, each move audited and on the timeline, with
deadlines per level counted in clock hours (secops/incidents/conf.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from secops.incidents.models import Action, Evidence, Incident
from secops.incidents.services import incident_move, open_incident, reports
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_a_data_officer_reports_an_incident_with_deadlines_per_level(officer, settings):
    settings.INCIDENTS = {
        "RESPONSE_HOURS": {"general": 24, "larger": 4, "major": 2, "critical": 1},
        "UPWARD_HOURS": {"general": 24, "larger": 1, "major": 1, "critical": 1},
    }
    incident = reported(officer, level="larger", departments=[officer.department])
    assert incident.status == Incident.Status.REPORTED and incident.reporter_department == officer.department
    assert incident.response_due_at - incident.reported_at == dt.timedelta(hours=4)
    assert incident.upward_due_at - incident.reported_at == dt.timedelta(hours=1)
    assert list(incident.affected_departments.all()) == [officer.department]
    entry = AuditEntry.objects.get(action="incidents.report")
    assert entry.actor_id == officer.pk and entry.detail["incident"] == incident.pk
    assert incident.actions.get().kind == Action.Kind.REPORT


def test_department_staff_may_not_report(staff):
    with pytest.raises(PermissionDeniedError):
        reported(staff)
    assert not Incident.objects.exists()


def test_an_incomplete_report_is_refused_in_chinese(officer):
    with pytest.raises(DomainError) as refused:
        reported(officer, description=" ")
    assert "事件经过" in str(refused.value.message) and not Incident.objects.exists()


def test_the_system_opens_an_incident_with_its_audit_evidence(officer):
    reported(officer)  # leaves an audit entry to point at
    entry = AuditEntry.objects.latest("id")
    incident = open_incident(
        title="审计链校验失败", kind="tampering", level="major", description="校验不通过。", evidence=[entry]
    )
    assert incident.reported_by is None and incident.reporter_department is None
    assert list(incident.evidence.values_list("kind", "audit_entry_id")) == [(Evidence.Kind.AUDIT, entry.pk)]
    assert AuditEntry.objects.filter(action="incidents.report", detail__system=True).exists()
    assert "系统监测" in incident.actions.get().text


def test_the_bureau_moves_an_incident_through_its_states_each_audited(officer, handler):
    incident = reported(officer)
    incident = incident_move(actor=handler, incident=incident, action="handle")
    assert incident.status == Incident.Status.HANDLING and incident.responded_at is not None
    incident = incident_move(actor=handler, incident=incident, action="contain", note="已切断外部链接。")
    assert incident.status == Incident.Status.CONTAINED and incident.contained_at is not None
    with pytest.raises(DomainError) as refused:
        incident_move(actor=handler, incident=incident, action="close", note="处置完毕")
    assert refused.value.code == "not_reported_upward"
    reports.report_upward(actor=handler, incident=incident)
    incident = incident_move(actor=handler, incident=incident, action="close", note="处置完毕，已整改。")
    assert incident.status == Incident.Status.CLOSED and incident.summary == "处置完毕，已整改。"
    assert list(
        AuditEntry.objects.filter(action__in=["incidents.handle", "incidents.contain", "incidents.close"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["incidents.handle", "incidents.contain", "incidents.close"]
    with pytest.raises(InvalidTransitionError):
        incident_move(actor=handler, incident=incident, action="reopen")  # a closed incident stays closed


def test_only_the_bureau_handles(officer):
    incident = reported(officer)
    with pytest.raises(PermissionDeniedError):
        incident_move(actor=officer, incident=incident, action="handle")
    assert Incident.objects.get().status == Incident.Status.REPORTED


def test_a_drill_closes_without_a_report_upward_and_is_counted(officer, handler):
    from secops.incidents import metrics

    drill = reported(officer, is_drill=True)
    for action in ("handle", "contain"):
        incident_move(actor=handler, incident=drill, action=action)
    incident_move(actor=handler, incident=drill, action="close", note="演练完成。")
    reported(officer)
    year = timezone.localdate().year
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    counts = metrics.counts(start, start.replace(year=year + 1))
    assert counts[officer.department_id] == {"incidents_drills": 1, "incidents_reported": 1}
