"""Running the self-checks (安全自查): monthly and half-yearly from beat (the city opinion 004:
每月、每半年开展安全检查), or on demand by the bureau; each run leaves its findings.

A scheduled run is keyed on its period ("2026-12", "2026-H2", unique with its kind): beat may fire
twice, a worker may be restarted mid-sweep, and the period still gets exactly one run. The run's
work is done in a Celery task that takes the queued row with select_for_update(skip_locked=True),
so two workers never run one row (docs/conventions.md, pitfalls)."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.models import Department
from portal.permissions import require
from portal.queue import enqueue_after_commit
from portal.roles import Role, role_group_name
from portal.services.notifications import notify
from secops.selfchecks import checks
from secops.selfchecks.models import Finding, SelfCheckRun

logger = logging.getLogger(__name__)

RUN = "selfchecks.run_selfcheck"
DONE_KIND = "selfchecks.run_done"
Kind = SelfCheckRun.Kind


def period_key(kind: str, today: dt.date) -> str | None:
    if kind == Kind.MONTHLY:
        return f"{today.year}-{today.month:02d}"
    if kind == Kind.HALF_YEARLY:
        return f"{today.year}-H{1 if today.month <= 6 else 2}"
    return None


EXECUTE_TASK = "secops.selfchecks.tasks.execute_run"  # named, not imported: tasks imports this module
STALE_QUEUED = dt.timedelta(minutes=10)


def _enqueue(run: SelfCheckRun) -> None:
    # Lost with the broker down: resume_queued (beat, every 10 minutes) does the run later.
    enqueue_after_commit(EXECUTE_TASK, run.pk)


def resume_queued(*, now: dt.datetime | None = None) -> list[int]:
    """Runs queued on demand whose message was lost (broker down at commit) are done by the sweep;
    execute_run skips a row another worker holds, so a late message and the sweep never run it twice."""
    cutoff = (now or timezone.now()) - STALE_QUEUED
    stale = SelfCheckRun.objects.filter(status=SelfCheckRun.Status.QUEUED, created_at__lt=cutoff)
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    return [run_id for run_id in ids if execute_run(run_id, now=now) is not None]


def run_request(*, actor, kind: str = Kind.ON_DEMAND) -> SelfCheckRun:
    """Tongren art. 15(七): the bureau runs a self-check whenever it needs one (on demand); the run is
    queued and done by a worker, the page follows its progress."""
    require(actor, RUN)
    with transaction.atomic():
        run = SelfCheckRun.objects.create(kind=Kind.ON_DEMAND, requested_by=actor, checks_total=len(checks.registry()))
        record("selfchecks.run.request", actor=actor, target=run, detail={"kind": run.kind})
        _enqueue(run)
    return run


def scheduled_run(*, kind: str, today: dt.date | None = None) -> SelfCheckRun | None:
    """004: the monthly or half-yearly run of the period `today` falls in; None if the period has
    its run already (made by an earlier or a concurrent sweep)."""
    today = today or timezone.localdate()
    key = period_key(kind, today)
    if SelfCheckRun.objects.filter(kind=kind, period_key=key).exists():
        return None
    try:
        with transaction.atomic():
            run = SelfCheckRun.objects.create(kind=kind, period_key=key, checks_total=len(checks.registry()))
            record("selfchecks.run.schedule", target=run, detail={"kind": kind, "period": key})
    except IntegrityError:  # another sweep made it between our look and our insert
        return None
    return run


def execute_run(run_id: int, *, now: dt.datetime | None = None) -> SelfCheckRun | None:
    """Do the checks of a queued run; None if another worker has it or it is done already."""
    with transaction.atomic():
        run = (
            SelfCheckRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=SelfCheckRun.Status.QUEUED)
            .first()
        )
        if run is None:
            return None
        run.status = SelfCheckRun.Status.RUNNING
        run.started_at = timezone.now()
        run.checks_total = len(checks.registry())
        run.save(update_fields=["status", "started_at", "checks_total"])
    ctx = checks.Context(now=now or timezone.now(), bureau_id=_bureau_id())
    errors = []
    for check in checks.registry():
        try:
            found = check.run(ctx)
        except Exception as exc:  # one broken check must not hide the others' findings
            logger.exception("self-check %s failed", check.code)
            errors.append(f"{check.code}: {type(exc).__name__}: {exc}"[:500])
            found = []
        with transaction.atomic():
            Finding.objects.bulk_create(
                Finding(
                    run=run,
                    check_code=check.code,
                    severity=f.severity,
                    owner_department_id=f.owner_department_id or ctx.bureau_id,
                    subject=str(f.subject)[:200],
                    detail=str(f.detail),
                )
                for f in found
            )
            SelfCheckRun.objects.filter(pk=run.pk).update(checks_done=run.checks_done + 1)
            run.checks_done += 1
    with transaction.atomic():
        run.status = SelfCheckRun.Status.DONE
        run.finished_at = timezone.now()
        run.error = "\n".join(errors)
        run.save(update_fields=["status", "finished_at", "error"])
        counts = run.findings.count()
        record(
            "selfchecks.run.finish",
            actor=run.requested_by,
            target=run,
            detail={"kind": run.kind, "period": run.period_key, "findings": counts, "errors": len(errors)},
        )
        _announce(run, counts)
    return run


def _bureau_id() -> int | None:
    return Department.objects.filter(is_bureau=True).order_by("pk").values_list("pk", flat=True).first()


def _announce(run: SelfCheckRun, counts: int) -> None:
    """The bureau's security staff learn of each finished run (its findings wait in the owners' inboxes)."""
    names = [role_group_name(Role.BUREAU_ADMIN), role_group_name(Role.BUREAU_REVIEWER)]
    users = list(get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct())
    notify(
        users=users,
        kind=DONE_KIND,
        key=f"selfchecks.run_done:{run.pk}",
        title=_("%(k)s已完成：发现 %(n)s 个问题") % {"k": run.get_kind_display(), "n": counts},
        url=reverse("selfchecks:run", args=[run.pk]),
    )


def sweep(kind: str, *, today: dt.date | None = None, now: dt.datetime | None = None) -> SelfCheckRun | None:
    """The beat job: make the period's run if it has none, and do it (a rerun does nothing)."""
    run = scheduled_run(kind=kind, today=today)
    if run is None:
        return None
    return execute_run(run.pk, now=now)
