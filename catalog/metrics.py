"""The catalog's figures for the evaluation (Lhasa art. 6-7, 44): entries, completeness (entries whose
data has been loaded, 数据归集), freshness, updates on time."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import DataLoad, EntryVersion, ResourceEntry, UpdateDuty
from portal.dashboard import Metric, Provider

GROUP = _("资源目录")
METRICS = (
    Metric("catalog_entries", _("已发布目录数"), GROUP, short=_("目录数")),
    Metric(
        "catalog_loaded_rate",
        _("目录数据归集率"),
        GROUP,
        short=_("归集率"),
        numerator="catalog_loaded",
        denominator="catalog_entries",
    ),
    Metric(
        "catalog_maintained_rate",
        _("一年内维护比例"),
        GROUP,
        short=_("维护率"),
        numerator="catalog_maintained",
        denominator="catalog_entries",
    ),
    Metric("catalog_duties_due", _("到期的目录更新任务"), GROUP, short=_("更新任务")),
    Metric(
        "catalog_duties_on_time_rate",
        _("目录按期更新率"),
        GROUP,
        short=_("按期更新"),
        numerator="catalog_duties_on_time",
        denominator="catalog_duties_due",
    ),
    Metric("catalog_duties_overdue", _("目录更新超期数"), GROUP, short=_("更新超期"), higher_is_better=False),
    # Lhasa art. 39 分级分类管理 (docs/grading.md): entries whose grades the bureau has confirmed
    Metric(
        "catalog_graded_rate",
        _("目录分级确认率"),
        GROUP,
        short=_("分级率"),
        numerator="catalog_graded",
        denominator="catalog_entries",
    ),
)


def counts(start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    """Entries published before the period's end and not withdrawn by then (and how many were
    maintained within the year before it); update duties falling due in the period."""
    published_before_end = EntryVersion.objects.filter(entry=OuterRef("pk"), publish_date__lt=end.date())
    # graded: the published version's grades are confirmed now (grades keep no history of their own)
    graded_now = EntryVersion.objects.filter(pk=OuterRef("published_version_id"), grade_confirmed=True)
    loaded_before_end = DataLoad.objects.filter(
        entry=OuterRef("pk"), status=DataLoad.Status.SUCCEEDED, created_at__lt=end
    )
    entries = (
        ResourceEntry.objects.filter(Exists(published_before_end))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end))
        .annotate(loaded=Exists(loaded_before_end), graded=Exists(graded_now))
        .values("department_id")
        .annotate(
            n=Count("id"),
            fresh=Count(
                "id", filter=Q(last_maintained_at__gte=end - dt.timedelta(days=365), last_maintained_at__lt=end)
            ),
            with_data=Count("id", filter=Q(loaded=True)),
            with_grade=Count("id", filter=Q(graded=True)),
        )
    )
    duties = (
        UpdateDuty.objects.filter(due_at__gte=start, due_at__lt=end)
        .values("entry__department_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))))
    )
    out: dict[int, dict[str, int]] = {}
    for row in entries:
        out.setdefault(row["department_id"], {}).update(
            catalog_entries=row["n"],
            catalog_maintained=row["fresh"],
            catalog_loaded=row["with_data"],
            catalog_graded=row["with_grade"],
        )
    for row in duties:
        out.setdefault(row["entry__department_id"], {}).update(
            catalog_duties_due=row["n"],
            catalog_duties_on_time=row["on_time"],
            catalog_duties_overdue=row["n"] - row["on_time"],
        )
    return out


PROVIDER = Provider(name="catalog", metrics=METRICS, counts=counts)
