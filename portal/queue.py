"""Queueing Celery tasks after a commit without making the request depend on Redis (SECURITY.md, faults).

The row in PostgreSQL is the truth and the message only a hint (docs/conventions.md, pitfalls: "Celery"): if the broker is
down when a transaction commits, the request still succeeds, the failure is logged, and a periodic job
finds the work in the database later (portal.tasks.send_pending_notification_emails,
catalog.tasks.resume_loads). Results of these tasks are never read: no result-backend subscription, so
a Redis outage cannot leave the web process's result consumer broken.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# Publishing gives up quickly: the periodic jobs, not the request, make up for a lost message.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def enqueue(task, *args, **kwargs) -> bool:
    """Publish a task: a task object, or the registered name of one ("catalog.tasks.run_load"). A service
    names its app's task rather than importing the tasks module, which imports the services (no cycle)."""
    try:
        if isinstance(task, str):
            from celery import current_app

            current_app.send_task(
                task, args=args, kwargs=kwargs, ignore_result=True, retry=True, retry_policy=RETRY_POLICY
            )
        else:
            task.apply_async(args=args, kwargs=kwargs, ignore_result=True, retry=True, retry_policy=RETRY_POLICY)
        return True
    except Exception:  # broker unreachable: logged; the periodic job picks the work up
        logger.warning(
            "could not queue %s (broker unavailable); a periodic job will pick the work up",
            getattr(task, "name", task),
            exc_info=True,
        )
        return False


def enqueue_after_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
