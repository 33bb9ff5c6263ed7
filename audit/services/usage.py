"""Monthly usage summaries per department (A5; Lhasa art. 41: 使用日志推送给提供和使用部门).

Computed from the log once a month and stored; the monthly notification (docs/features.md A5, P2) sends them, keyed by
(department, role, month) so that each goes out once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import UsageSummary
from audit.services.partitions import add_months, month_bounds, month_start
from portal.selectors import department_tree


def _department_names() -> dict[int, str]:
    names: dict[int, str] = {}
    stack = list(department_tree(active_only=False))
    while stack:
        node = stack.pop()
        names[node["department"].pk] = node["department"].name
        stack.extend(node["children"])
    return names


def _figures(rows, key_index: int, other_index: int, names: dict[int, str], actors: dict) -> dict[int, dict]:
    """rows: (provider_id, user_id, action, entries) → {department: figures}."""
    out: dict[int, dict] = defaultdict(
        lambda: {"entries": 0, "actions": defaultdict(int), "departments": defaultdict(int)}
    )
    for row in rows:
        dept, other, action, entries = row[key_index], row[other_index], row[2], row[3]
        figures = out[dept]
        figures["entries"] += entries
        figures["actions"][action] += entries
        figures["departments"][str(other) if other is not None else "-"] += entries
    result = {}
    for dept, figures in out.items():
        result[dept] = {
            "entries": figures["entries"],
            "actions": dict(sorted(figures["actions"].items())),
            "departments": [
                {
                    "department_id": int(k) if k != "-" else None,
                    "name": names.get(int(k), "") if k != "-" else "",
                    "entries": v,
                }
                for k, v in sorted(figures["departments"].items(), key=lambda kv: -kv[1])
            ],
            "actors": actors.get(dept, 0),
        }
    return result


def usage_summaries_build(*, month: dt.date | None = None) -> list[UsageSummary]:
    """Compute and store the usage figures of `month` (default: last month) for every department.

    For each provider: entries about its data, by action and by using department. For each user
    department: its use of data, by action and by providing department. Idempotent: a second run
    replaces the month's figures.
    """
    month = month_start(month or add_months(month_start(timezone.localdate()), -1))
    start, end = month_bounds(month)
    with connection.cursor() as cursor:
        where = "occurred_at >= %s AND occurred_at < %s AND owner_department_id IS NOT NULL"
        cursor.execute(
            f"SELECT owner_department_id, department_id, action, count(*) FROM audit_auditentry "
            f"WHERE {where} GROUP BY 1, 2, 3",
            [start, end],
        )
        rows = cursor.fetchall()
        actors = {}
        for role, column in (("provider", "owner_department_id"), ("user", "department_id")):
            cursor.execute(
                f"SELECT {column}, count(DISTINCT actor_id) FROM audit_auditentry WHERE {where} GROUP BY 1",
                [start, end],
            )
            actors[role] = dict(cursor.fetchall())
    names = _department_names()
    now = timezone.now()
    summaries = []
    with transaction.atomic():
        for role, key_index, other_index in (("provider", 0, 1), ("user", 1, 0)):
            for dept, figures in _figures(rows, key_index, other_index, names, actors[role]).items():
                if dept is None:
                    continue  # entries of people without a department (public users) have no user department
                summary, _created = UsageSummary.objects.update_or_create(
                    department_id=dept,
                    role=role,
                    month=month,
                    defaults={
                        "department_name": names.get(dept, ""),
                        "entry_count": figures["entries"],
                        "figures": figures,
                        "computed_at": now,
                    },
                )
                summaries.append(summary)
    return summaries


def usage_summaries_send(summaries: list[UsageSummary]) -> int:
    """Push each monthly summary to the department's data officers (Lhasa art. 41: usage logs reach
    the providing and using departments). Keyed on (department, role, month): sent once."""
    from django.utils.translation import gettext as _

    from portal.roles import Role
    from portal.selectors import users_with_role
    from portal.services.notifications import notify

    sent = 0
    for summary in summaries:
        officers = list(users_with_role(Role.DATA_OFFICER).filter(department_id=summary.department_id))
        if not officers:
            continue
        title = (
            _("%(m)s 本部门数据被使用情况：%(n)d 条记录")
            if summary.role == UsageSummary.Role.PROVIDER
            else _("%(m)s 本部门使用数据情况：%(n)d 条记录")
        ) % {"m": summary.month.strftime("%Y-%m"), "n": summary.entry_count}
        notify(
            users=officers,
            kind="audit.usage_summary",
            key=f"audit.usage_summary:{summary.department_id}:{summary.role}:{summary.month.isoformat()}",
            title=title,
            url=reverse("audit:usage"),
        )
        sent += 1
    return sent
