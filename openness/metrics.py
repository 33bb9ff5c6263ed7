"""Open data's figures for the evaluation (Lhasa art. 44): datasets published and downloads.

Downloads per period come from the audit log (every download is recorded there, kept three
years), grouped in SQL by dataset; the datasets' own counters hold only running totals."""
import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from openness.models import Dataset
from portal.dashboard import Metric, Provider, register

GROUP = _("数据开放")
METRICS = (
    Metric("open_datasets", _("开放数据集"), GROUP),
    Metric("open_published", _("新发布数据集"), GROUP),
    Metric("open_downloads", _("下载次数"), GROUP),
)


def counts(start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for row in (Dataset.objects.filter(first_published_at__lt=end)
                .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end))
                .values("department_id")
                .annotate(n=Count("id"), new=Count("id", filter=Q(first_published_at__gte=start)))):
        out.setdefault(row["department_id"], {}).update(open_datasets=row["n"], open_published=row["new"])
    downloads = dict(AuditEntry.objects.filter(action="openness.download", outcome="success",
                                               object_type="openness.dataset",
                                               occurred_at__gte=start, occurred_at__lt=end)
                     .values_list("object_id").annotate(n=Count("id")).values_list("object_id", "n"))
    ids = [int(i) for i in downloads if str(i).isdigit()]
    for dataset_id, department_id in Dataset.objects.filter(pk__in=ids).values_list("pk", "department_id"):
        values = out.setdefault(department_id, {})
        values["open_downloads"] = values.get("open_downloads", 0) + downloads[str(dataset_id)]
    return out


def register_metrics():
    register(Provider(name="openness", metrics=METRICS, counts=counts))
