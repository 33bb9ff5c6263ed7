"""SECURITY.md 14.20 (Lhasa art. 39 separation of duties): the bureau admin, whom the audit watches, cannot
switch off, re-schedule or delete the audit's own periodic tasks in the admin site, and beat puts them
back from the registry should they change another way."""

import pytest
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from audit.models import AuditEntry
from audit.schedule import BEAT_SCHEDULE, PROTECTED
from config.beat import RegistryScheduler, protected_names, reassert_protected

pytestmark = pytest.mark.django_db

AUDIT_JOBS = ("audit-seal", "audit-verify", "audit-export-head", "audit-retention", "audit-create-partitions")


@pytest.fixture
def jobs():
    """The periodic task rows as beat's start writes them from the registry."""
    reassert_protected()
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    other = PeriodicTask.objects.create(name="some-other-job", task="celery.ping", interval=every)
    return {task.name: task for task in PeriodicTask.objects.all()} | {"other": other}


@pytest.fixture
def admin_client(bureau_admin):
    client = Client()
    client.force_login(bureau_admin)
    return client


def test_the_audit_jobs_are_protected():
    assert set(AUDIT_JOBS) <= PROTECTED == protected_names() == set(BEAT_SCHEDULE)


def test_the_change_page_of_an_audit_job_is_read_only_and_a_forged_save_is_refused(admin_client, jobs):
    seal = jobs["audit-seal"]
    url = reverse("admin:django_celery_beat_periodictask_change", args=[seal.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="enabled"' not in page.content.decode() and 'name="_save"' not in page.content.decode()
    other_crontab = CrontabSchedule.objects.create(minute="0", hour="0", timezone="Asia/Shanghai")
    response = admin_client.post(
        url,
        {
            "name": seal.name,
            "task": seal.task,
            "regtask": seal.task,
            "enabled": "",
            "crontab": other_crontab.pk,
            "args": "[]",
            "kwargs": "{}",
            "headers": "{}",
            "priority": "",
            "_save": "1",
        },
        HTTP_X_REQUEST_ID="forged-save-of-the-seal",
    )
    assert response.status_code == 403
    seal.refresh_from_db()
    assert seal.enabled and seal.crontab_id != other_crontab.pk
    assert AuditEntry.objects.filter(request_id="forged-save-of-the-seal", action="request.denied").exists()


def test_an_audit_job_cannot_be_deleted(admin_client, jobs):
    verify = jobs["audit-verify"]
    url = reverse("admin:django_celery_beat_periodictask_delete", args=[verify.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=verify.pk).exists()


@pytest.mark.parametrize("action", ["disable_tasks", "toggle_tasks"])
def test_the_bulk_actions_leave_the_audit_jobs_alone_and_record_the_refusal(admin_client, jobs, action):
    chosen = [jobs[name].pk for name in AUDIT_JOBS] + [jobs["other"].pk]
    response = admin_client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": action, "_selected_action": chosen},
        follow=True,
    )
    assert response.status_code == 200
    assert "审计任务不能由管理员停用、修改或删除" in response.content.decode()
    assert set(PeriodicTask.objects.filter(name__in=AUDIT_JOBS).values_list("enabled", flat=True)) == {True}
    assert not PeriodicTask.objects.get(name="some-other-job").enabled  # the rule is for the audit's jobs only
    refusal = AuditEntry.objects.get(action="admin.beat.protected_refused")
    assert refusal.outcome == "denied" and set(refusal.detail["tasks"]) == set(AUDIT_JOBS)


def test_another_job_stays_editable(admin_client, jobs):
    other = jobs["other"]
    url = reverse("admin:django_celery_beat_periodictask_change", args=[other.pk])
    assert 'name="enabled"' in admin_client.get(url).content.decode()


def test_beat_restores_an_audit_job_changed_behind_the_admin_sites_back(jobs):
    from config.celery import app

    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()  # the fixture's own restorations
    other_crontab = CrontabSchedule.objects.create(minute="59", hour="23", timezone="Asia/Shanghai")
    PeriodicTask.objects.filter(name="audit-verify").update(enabled=False, crontab=other_crontab, queue="nowhere")
    PeriodicTask.objects.filter(name="audit-seal").delete()
    scheduler = RegistryScheduler(app=app, lazy=True)
    schedule = scheduler.all_as_schedule()  # what beat does at each refresh
    assert "audit-seal" in schedule  # (crontab jobs not due within the hour are left out by django-celery-beat)
    verify = PeriodicTask.objects.get(name="audit-verify")
    assert verify.enabled and verify.queue is None
    assert (verify.crontab.minute, verify.crontab.hour) == ("30", "2")  # audit/schedule.py: 02:30
    assert PeriodicTask.objects.get(name="audit-seal").enabled
    restored = {
        e.object_id: e.detail["fields"]
        for e in AuditEntry.objects.filter(action="beat.protected_restored", id__gt=before)
    }
    assert set(restored["audit-verify"]) == {"enabled", "crontab", "queue"} and restored["audit-seal"] == ["missing"]
    assert reassert_protected(app=app) == []  # nothing drifted: no write at the next refresh
