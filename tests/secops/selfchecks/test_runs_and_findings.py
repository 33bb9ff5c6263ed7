"""004: the monthly self-check runs from beat (real task code), once per period however often beat
fires; the bureau runs one on demand; the owners put findings right (待整改 → 已整改 / 已接受风险 with
the reason), every move audited and kept in the finding's history; open findings wait in the
owner department's inbox."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from config.celery import app
from portal.errors import DomainError, PermissionDeniedError
from portal.inbox import inbox_for
from portal.roles import Role
from secops.selfchecks import tasks
from secops.selfchecks.models import Finding, FindingChange, SelfCheckRun
from secops.selfchecks.services import findings, runs
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_monthly_task_makes_one_run_per_month_with_its_findings(security_admin):
    run_id = tasks.monthly_selfcheck()
    run = SelfCheckRun.objects.get(pk=run_id)
    today = timezone.localdate()
    assert run.kind == "monthly" and run.period_key == f"{today.year}-{today.month:02d}"
    assert run.status == "done" and run.checks_done == run.checks_total == 12 and run.finished_at
    assert run.findings.filter(check_code="backup").exists()  # no backup recorded in the test world
    assert AuditEntry.objects.filter(action="selfchecks.run.finish", object_id=str(run.pk)).exists()
    assert tasks.monthly_selfcheck() is None  # beat firing again this month makes nothing
    assert SelfCheckRun.objects.filter(kind="monthly").count() == 1


def test_the_period_key_is_unique_per_kind():
    SelfCheckRun.objects.create(kind="half_yearly", period_key="2026-H2")
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfCheckRun.objects.create(kind="half_yearly", period_key="2026-H2")
    assert runs.period_key("half_yearly", dt.date(2027, 1, 1)) == "2027-H1"
    assert runs.period_key("half_yearly", dt.date(2027, 7, 1)) == "2027-H2"


def test_beat_schedules_the_monthly_and_half_yearly_runs():
    monthly = app.conf.beat_schedule["selfchecks-monthly"]
    half = app.conf.beat_schedule["selfchecks-half-yearly"]
    assert monthly["task"] == tasks.monthly_selfcheck.name and monthly["schedule"].day_of_month == {1}
    assert half["task"] == tasks.half_yearly_selfcheck.name and half["schedule"].month_of_year == {1, 7}


def test_an_on_demand_run_is_queued_then_done_by_the_task(security_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = runs.run_request(actor=security_admin)
    assert run.status == "queued" and len(queued) == 1
    tasks.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.requested_by == security_admin
    assert tasks.execute_run(run.pk) is None  # done already: a second delivery does nothing


def test_a_department_user_may_not_run_a_check():
    with pytest.raises(PermissionDeniedError):
        runs.run_request(actor=user_with_role(Role.DATA_OFFICER))


@pytest.fixture
def finding(db):
    officer = user_with_role(Role.DATA_OFFICER)
    run = SelfCheckRun.objects.create(kind="on_demand")
    made = Finding.objects.create(
        run=run, check_code="dormant_accounts", severity="medium", owner_department=officer.department, subject="账号 x"
    )
    return officer, made


def test_the_owner_officer_fixes_a_finding_and_it_leaves_the_inbox(finding):
    officer, made = finding
    assert [i.url for i in inbox_for(officer, kinds=["selfchecks.finding"])] == [
        f"/secops/selfchecks/findings/{made.pk}/"
    ]
    findings.finding_move(actor=officer, finding=made, action="fix", reason="已停用该账号")
    made.refresh_from_db()
    assert made.status == "fixed"
    change = FindingChange.objects.get(finding=made)
    assert (change.from_status, change.to_status, change.actor) == ("open", "fixed", officer)
    assert AuditEntry.objects.filter(action="selfchecks.finding.fix", object_id=str(made.pk)).exists()
    assert inbox_for(officer, kinds=["selfchecks.finding"]) == []


def test_accepting_a_risk_needs_a_reason(finding, security_admin):
    _officer, made = finding
    with pytest.raises(DomainError) as refused:
        findings.finding_move(actor=security_admin, finding=made, action="accept", reason="  ")
    assert refused.value.code == "reason_required"
    assert (
        not FindingChange.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="selfchecks.finding").exists()
    )
    findings.finding_move(actor=security_admin, finding=made, action="accept", reason="系统下线前临时保留")
    made.refresh_from_db()
    assert made.status == "accepted" and made.reason == "系统下线前临时保留"
    findings.finding_move(actor=security_admin, finding=made, action="reopen")
    made.refresh_from_db()
    assert made.status == "open" and made.changes.count() == 2


def test_another_department_may_not_move_the_finding(finding):
    _officer, made = finding
    with pytest.raises(PermissionDeniedError):
        findings.finding_move(actor=user_with_role(Role.DATA_OFFICER), finding=made, action="fix")


def test_an_illegal_move_is_refused(finding):
    officer, made = finding
    findings.finding_move(actor=officer, finding=made, action="fix")
    made.refresh_from_db()
    with pytest.raises(DomainError):
        findings.finding_move(actor=officer, finding=made, action="accept", reason="x")


def test_an_on_demand_run_whose_message_was_lost_is_done_by_the_resume_sweep(security_admin):
    run = runs.run_request(actor=security_admin)
    assert runs.resume_queued() == []  # just asked for: its message may still be on its way
    later = timezone.now() + dt.timedelta(minutes=11)
    assert runs.resume_queued(now=later) == [run.pk]
    run.refresh_from_db()
    assert run.status == "done"
    assert runs.resume_queued(now=later) == []
    assert app.conf.beat_schedule["selfchecks-resume-queued"]["task"] == tasks.resume_queued_runs.name
