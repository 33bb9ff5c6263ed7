"""Sharing's figures for the evaluation (Lhasa art. 43-44, 50): answers on time, overdue counts,
data supplied and used. One GROUP BY query per figure family, never a loop over rows."""

import datetime as dt

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dashboard import Metric, Provider
from sharing.models import Deadline, Grant, GrantUse

GROUP = _("数据共享")
METRICS = (
    Metric("sharing_due", _("到期的共享办理事项"), GROUP, short=_("办理事项")),
    Metric(
        "sharing_on_time_rate",
        _("共享办理按期率"),
        GROUP,
        short=_("办理按期"),
        numerator="sharing_on_time",
        denominator="sharing_due",
    ),
    Metric("sharing_overdue", _("共享办理超期数"), GROUP, short=_("办理超期"), higher_is_better=False),
    Metric("sharing_grants_given", _("提供授权数"), GROUP, short=_("提供授权")),
    Metric("sharing_rows_served", _("提供数据量（行）"), GROUP, short=_("提供行数"), unit=_("行")),
    Metric("sharing_grants_held", _("获得授权数"), GROUP, short=_("获得授权")),
    Metric("sharing_calls_made", _("使用数据次数"), GROUP, short=_("使用次数"), unit=_("次")),
)


def counts(start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    """Answers owed by each department that fell due in the period (on time: closed by the deadline;
    overdue: marked late, or still open past it); grants given and held; rows served; uses made."""
    now = timezone.now()
    late = Q(overdue=True) | Q(closed_at__gt=F("due_at")) | Q(closed_at__isnull=True, due_at__lt=now)
    out: dict[int, dict[str, int]] = {}

    def put(department_id, **values):
        if department_id is not None:
            out.setdefault(department_id, {}).update(values)

    for row in (
        Deadline.objects.filter(due_at__gte=start, due_at__lt=end, by_bureau=False)
        .values("department_id")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"), overdue=False)),
            late=Count("id", filter=late),
        )
    ):
        put(row["department_id"], sharing_due=row["n"], sharing_on_time=row["on_time"], sharing_overdue=row["late"])
    for row in (
        Grant.objects.filter(granted_at__gte=start, granted_at__lt=end)
        .values("provider_department_id")
        .annotate(n=Count("id"))
    ):
        put(row["provider_department_id"], sharing_grants_given=row["n"])
    for row in (
        Grant.objects.filter(granted_at__gte=start, granted_at__lt=end)
        .values("holder_department_id")
        .annotate(n=Count("id"))
    ):
        put(row["holder_department_id"], sharing_grants_held=row["n"])
    uses = GrantUse.objects.filter(used_at__gte=start, used_at__lt=end, outcome=GrantUse.Outcome.SUCCESS)
    for row in uses.filter(mode__in=["query", "pull"]).values("provider_department_id").annotate(n=Sum("amount")):
        put(row["provider_department_id"], sharing_rows_served=row["n"] or 0)
    for row in uses.values("user_department_id").annotate(n=Count("id")):
        put(row["user_department_id"], sharing_calls_made=row["n"])
    return out


PROVIDER = Provider(name="sharing", metrics=METRICS, counts=counts)
