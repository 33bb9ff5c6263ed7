"""Open data's figures for the evaluation (Lhasa art. 44): datasets published, downloads, and answers
to 依申请开放 applications on time (Lhasa art. 33; the answer deadline falling due in the period).

Downloads per period come from the audit log (every download is recorded there, kept three
years), grouped in SQL by dataset; the datasets' own counters hold only running totals."""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from openness.models import Application, Dataset
from portal.dashboard import Metric, Provider

GROUP = _("数据开放")
METRICS = (
    Metric("open_datasets", _("开放数据集"), GROUP, short=_("数据集")),
    Metric("open_published", _("新发布数据集"), GROUP, short=_("新发布")),
    Metric("open_downloads", _("下载次数"), GROUP, short=_("下载"), unit=_("次")),
    Metric("open_applications_due", _("到期的依申请开放申请"), GROUP, short=_("依申请")),
    Metric(
        "open_applications_on_time_rate",
        _("依申请开放按期答复率"),
        GROUP,
        short=_("答复按期"),
        numerator="open_applications_on_time",
        denominator="open_applications_due",
    ),
    Metric("open_applications_overdue", _("依申请开放答复超期数"), GROUP, short=_("答复超期"), higher_is_better=False),
)


def counts(start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for row in (
        Dataset.objects.filter(first_published_at__lt=end)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end))
        .values("department_id")
        .annotate(n=Count("id"), new=Count("id", filter=Q(first_published_at__gte=start)))
    ):
        out.setdefault(row["department_id"], {}).update(open_datasets=row["n"], open_published=row["new"])
    downloads = dict(
        AuditEntry.objects.filter(
            action="openness.download",
            outcome="success",
            object_type="openness.dataset",
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .values_list("object_id")
        .annotate(n=Count("id"))
        .values_list("object_id", "n")
    )
    ids = [int(i) for i in downloads if str(i).isdigit()]
    for dataset_id, department_id in Dataset.objects.filter(pk__in=ids).values_list("pk", "department_id"):
        values = out.setdefault(department_id, {})
        values["open_downloads"] = values.get("open_downloads", 0) + downloads[str(dataset_id)]
    # only deadlines already passed: one still running is neither on time nor late yet
    answers = (
        Application.objects.filter(due_at__gte=start, due_at__lt=min(end, timezone.now()))
        .values("dataset__department_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))))
    )
    for row in answers:
        out.setdefault(row["dataset__department_id"], {}).update(
            open_applications_due=row["n"],
            open_applications_on_time=row["on_time"],
            open_applications_overdue=row["n"] - row["on_time"],
        )
    return out


PROVIDER = Provider(name="openness", metrics=METRICS, counts=counts)
