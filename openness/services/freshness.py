"""Freshness of open data (docs/features.md O6; Lhasa art. 37: "针对失效的开放数据，各部门应当及时、主动对数据
进行标识和公告"; Hechi art. 36: open data is kept up to date).

Each dataset promises an update frequency; its next update is due one period after its last
publication (or the department's confirmation that the data is still current). A periodic job
marks the overdue ones stale; the mark is shown on the public pages until a new version is
published or the department confirms the data.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import UpdateFrequency
from openness.conf import setting
from openness.models import Dataset
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify

# Calendar days of each promised frequency (irregular datasets promise no date).
PERIOD_DAYS: dict[str, int | None] = {
    UpdateFrequency.REALTIME: 1,
    UpdateFrequency.DAILY: 1,
    UpdateFrequency.WEEKLY: 7,
    UpdateFrequency.MONTHLY: 31,
    UpdateFrequency.QUARTERLY: 92,
    UpdateFrequency.YEARLY: 366,
    UpdateFrequency.IRREGULAR: None,
}


def update_due(moment: dt.datetime, frequency: str) -> dt.datetime | None:
    days = PERIOD_DAYS.get(frequency)
    if days is None:
        return None
    return moment + dt.timedelta(days=days + int(setting("STALE_GRACE_DAYS")))


def mark_stale(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Mark published datasets whose promised update is overdue. Safe to run twice at once: rows
    are locked with SKIP LOCKED and the mark itself makes a second run pass them by."""
    now = now or timezone.now()
    marked = 0
    with transaction.atomic():
        due = (
            Dataset.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("department", "published_version")
            .filter(
                stale_since__isnull=True,
                withdrawn_at__isnull=True,
                published_version__isnull=False,
                update_due_at__lt=now,
            )
            .order_by("update_due_at")[:batch]
        )
        for dataset in due:
            version, due_at = dataset.published_version, dataset.update_due_at
            assert version is not None and due_at is not None  # the query asks for both
            dataset.stale_since = now
            dataset.save(update_fields=["stale_since"])
            record(
                "openness.dataset.stale",
                target=dataset,
                detail={"due": due_at.isoformat(), "frequency": version.update_frequency},
            )
            notify(
                users=users_with_role(Role.DATA_OFFICER, department=dataset.department),
                kind="openness.stale",
                key=f"openness.stale:{dataset.pk}:{int(due_at.timestamp())}",
                title=_("开放数据集已过更新期限：%(t)s") % {"t": version.title},
                body=_("请发布新版本，或确认数据仍为最新。"),
                url=reverse("openness:dataset_manage", args=[dataset.pk]),
            )
            marked += 1
    return marked
