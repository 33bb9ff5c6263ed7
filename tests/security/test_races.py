"""Races (SECURITY.md, races), through real processes: gunicorn serving the test database and Celery workers on
Redis, started by the test. Each race ends in one consistent state and one set of audit entries:

- two reviewers (the provider's two data officers) decide one application at the same moment;
- two loads of one resource (large enough to run in the workers) at the same moment;
- two deadline sweeps at once;
- a grant revoked while it is being used.

The scenarios take a Deployment; test_scale_out.py runs the same ones with two web processes and two
workers (SECURITY.md, scale-out).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import requests
from django.utils import timezone

from accounts.services.tokens import token_issue
from audit.models import AuditEntry
from portal.roles import Role
from tests.factories import user_with_role
from tests.security import servers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # real gunicorn / Celery / restore processes


@dataclass
class Deployment:
    webs: list = field(default_factory=list)
    bases: list = field(default_factory=list)
    workers: list = field(default_factory=list)
    queue: str = ""
    env: dict = field(default_factory=dict)

    def base(self, n: int) -> str:
        return self.bases[n % len(self.bases)]

    def check_alive(self):
        for p in self.webs + self.workers:
            assert p.alive(), f"{p.name} died:\n{p.tail()}"

    def stop(self):
        for p in self.webs + self.workers:
            p.stop()


def deploy(log_dir, *, webs: int, workers: int, web_workers: int = 1) -> Deployment:
    queue = f"sec-race-{uuid.uuid4().hex[:8]}"
    env = servers.portal_env(
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CACHE_KEY_PREFIX=queue,
        OPEN_DATA_RATE_KEY_PER_MINUTE=10**6,
        OPEN_DATA_RATE_ADDRESS_PER_MINUTE=10**6,
    )
    d = Deployment(queue=queue, env=env)
    try:
        for n in range(webs):
            process, base = servers.start_web(env, log_dir, workers=web_workers, threads=4, name=f"web{n}")
            d.webs.append(process)
            d.bases.append(base)
        for n in range(workers):
            d.workers.append(servers.start_worker(env, log_dir, name=f"worker{n}"))
    except Exception:
        d.stop()
        raise
    return d


@pytest.fixture
def deployment(transactional_db, tmp_path):
    """Started for each test and stopped before its database is flushed: a flush makes new content
    types and permissions, which long-lived processes would have cached under their old ids."""
    d = deploy(tmp_path, webs=1, workers=1, web_workers=2)
    yield d
    d.stop()


def at_once(*calls, timeout=120):
    """Run the calls in threads released together; returns their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait(30)
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - returned to the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results


def _token(user):
    return {"Authorization": f"Token {token_issue(actor=user, name='race')[1]}"}


def _sharing_world(mode="query"):
    from sharing.services import applications
    from tests.sharing.factories import entry, people_rows

    provider = user_with_role(Role.DATA_OFFICER)
    second = user_with_role(Role.DATA_OFFICER, department=provider.department)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    applicant = user_with_role(Role.DEPARTMENT_STAFF)
    resource = entry(provider, reviewer, rows=people_rows())
    application = applications.application_submit(
        actor=applicant,
        entry=resource,
        purpose="核定待遇",
        scenario_text="社会救助审核",
        items=["id_number", "name", "district"],
        mode=mode,
        end_date=timezone.localdate() + dt.timedelta(days=90),
    )
    return provider, second, applicant, application


# --- the scenarios ------------------------------------------------------------------------------------
def race_two_reviewers(d: Deployment):
    from sharing.models import Application, Grant

    first, second, _applicant, application = _sharing_world()
    url = "/api/sharing/applications/{}/{}/"

    def approve():
        return requests.post(
            d.base(0) + url.format(application.pk, "approve"),
            json={"note": "同意"},
            headers=_token(first),
            timeout=60,
        )

    def refuse():
        return requests.post(
            d.base(1) + url.format(application.pk, "refuse"),
            json={"reason": "不符合"},
            headers=_token(second),
            timeout=60,
        )

    results = at_once(approve, refuse)
    codes = sorted(r.status_code for r in results)
    assert codes[0] == 200 and codes[1] in (400, 409), [(r.status_code, r.text[:200]) for r in results]
    application.refresh_from_db()
    decided = [
        a
        for a in ("approve", "refuse")
        if AuditEntry.objects.filter(
            action=f"sharing.application.{a}", object_id=str(application.pk), outcome="success"
        ).exists()
    ]
    assert len(decided) == 1
    assert (
        AuditEntry.objects.filter(
            action=f"sharing.application.{decided[0]}", object_id=str(application.pk), outcome="success"
        ).count()
        == 1
    )
    grants = Grant.objects.filter(application=application).count()
    assert (application.status, grants) in ((Application.Status.APPROVED, 1), (Application.Status.REFUSED, 0))
    assert (decided[0] == "approve") == (application.status == Application.Status.APPROVED)


def _big_csv(first: int, rows: int) -> bytes:
    from tests.openness.factories import HEADER, company

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(first, first + rows):
        writer.writerow(company(n))
    return out.getvalue().encode()


def race_two_loads(d: Deployment):
    from catalog.models import DataLoad
    from tests.openness.factories import company, entry_with_rows

    officer = user_with_role(Role.DATA_OFFICER)
    resource = entry_with_rows(officer, [company(1)])
    headers = _token(officer)
    files = [_big_csv(10_000 * (n + 1), 16_000) for n in range(2)]  # > 1 MB each: loaded by the workers
    assert all(len(f) > 1024 * 1024 for f in files)
    post = lambda n: requests.post(  # noqa: E731
        d.base(n) + f"/api/catalog/entries/{resource.pk}/loads/",
        headers=headers,
        timeout=120,
        files={"file": (f"part{n}.csv", files[n], "text/csv")},
    )
    results = at_once(lambda: post(0), lambda: post(1))
    assert [r.status_code for r in results] == [201, 201], [r.text[:300] for r in results]
    ids = [r.json()["id"] for r in results]

    def done():
        d.check_alive()
        return not DataLoad.objects.filter(pk__in=ids, status=DataLoad.Status.PENDING).exists()

    servers.wait_until(done, timeout=240, interval=1, what="both loads to finish")
    loads = list(DataLoad.objects.filter(pk__in=ids))
    assert {load.status for load in loads} == {DataLoad.Status.SUCCEEDED}, [
        (load.message, load.errors) for load in loads
    ]
    versions = sorted(
        DataLoad.objects.filter(entry=resource, status="succeeded").values_list("data_version", flat=True)
    )
    assert versions == [1, 2, 3]  # the first load of the world, then one each, never the same number twice
    for load in loads:
        assert load.row_count == 16_000
        assert AuditEntry.objects.filter(action="catalog.load.finish", detail__load=load.pk).count() == 1
    assert not [
        f
        for f in os.listdir(os.path.dirname(loads[0].file_path))
        if f in {os.path.basename(load.file_path) for load in loads}
    ]  # the uploaded files are gone


def race_two_sweeps(d: Deployment):
    from portal.models import Notification
    from sharing.models import Deadline

    applications = [_sharing_world()[3] for _ in range(3)]
    past = timezone.now() - dt.timedelta(days=30)
    Deadline.objects.filter(application__in=applications).update(remind_at=past, due_at=past)
    from config.celery import app

    results = [app.send_task("sharing.tasks.sweep_deadlines", queue=d.queue) for _ in range(2)]
    for result in results:
        result.get(timeout=120, propagate=True)
    deadlines = Deadline.objects.filter(application__in=applications)
    assert deadlines.count() == 3 and all(x.escalated_at and x.warned_at for x in deadlines)
    for deadline in deadlines:
        assert (
            AuditEntry.objects.filter(
                action="sharing.application.escalate", object_id=str(deadline.application_id)
            ).count()
            == 1
        )
        assert Notification.objects.filter(key=f"sharing.deadline.escalate.asker:{deadline.pk}").count() == 1


def race_revoke_while_used(d: Deployment):
    from sharing.models import Grant
    from sharing.services import applications

    provider, _second, applicant, application = _sharing_world()
    grant = applications.application_approve(actor=provider, application=application)
    user_headers, provider_headers = _token(applicant), _token(provider)
    stop = time.monotonic() + 20
    outcomes = []

    def use(n):
        mine = []
        while time.monotonic() < stop and len(mine) < 200:
            r = requests.get(d.base(n) + f"/api/sharing/grants/{grant.pk}/query/", headers=user_headers, timeout=30)
            mine.append((time.time(), r.status_code))
            if r.status_code != 200:
                break
        outcomes.extend(mine)
        return mine

    def revoke():
        time.sleep(1.0)
        return requests.post(
            d.base(1) + f"/api/sharing/grants/{grant.pk}/revoke/",
            json={"reason": "停止使用"},
            headers=provider_headers,
            timeout=60,
        )

    results = at_once(lambda: use(0), lambda: use(1), revoke)
    assert results[2].status_code == 200, results[2].text[:300]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED and grant.ended_at
    codes = [code for _t, code in outcomes]
    assert 200 in codes and codes[-1] != 200 and set(codes) <= {200, 400, 403, 409, 410}, codes
    used = AuditEntry.objects.filter(action="sharing.grant.query", object_id=str(grant.pk))
    assert used.filter(outcome="success").count() == codes.count(200)
    # (A use in flight when the revocation arrives finishes first, the revocation waiting for it:
    # test_a_use_in_flight_finishes_before_the_revocation_takes_effect.)
    assert AuditEntry.objects.filter(action="sharing.grant.revoke", object_id=str(grant.pk)).count() == 1


SCENARIOS = {
    "two_reviewers": race_two_reviewers,
    "two_loads": race_two_loads,
    "two_sweeps": race_two_sweeps,
    "revoke_while_used": race_revoke_while_used,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_race(deployment, name):
    SCENARIOS[name](deployment)
    deployment.check_alive()


def test_a_use_in_flight_finishes_before_the_revocation_takes_effect(monkeypatch):
    from django.db import connection

    from sharing.services import applications, grants, use

    provider, _second, applicant, application = _sharing_world()
    grant = applications.application_approve(actor=provider, application=application)
    inside, go = threading.Event(), threading.Event()
    original = use.store.query

    def slow_query(*args, **kwargs):
        inside.set()
        go.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(use.store, "query", slow_query)

    def query():
        try:
            return use.grant_query(actor=applicant, grant=grant)
        finally:
            connection.close()

    def revoke():
        inside.wait(10)
        try:
            return grants.grant_revoke(actor=provider, grant=grant, reason="停止使用")
        finally:
            connection.close()

    releaser = threading.Timer(2.0, go.set)
    releaser.start()
    results = at_once(query, revoke, timeout=60)
    releaser.cancel()
    assert not isinstance(results[1], Exception), results[1]
    grant.refresh_from_db()
    success = AuditEntry.objects.filter(action="sharing.grant.query", object_id=str(grant.pk), outcome="success")
    assert not success.filter(occurred_at__gt=grant.ended_at).exists()
