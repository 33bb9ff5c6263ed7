"""What the open-data app puts in users' inboxes: publications to review, applications to answer,
re-reviews, returned proposals and stale datasets."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openness.models import Application, Dataset, DatasetVersion
from portal.inbox import InboxItem, InboxSource
from portal.permissions import can

PUBLISH = "portal.publish_open_data"


def _reviews(user):
    if not can(user, "openness.review_datasetversion"):
        return DatasetVersion.objects.none()
    return DatasetVersion.objects.filter(status=DatasetVersion.Status.SUBMITTED)


def _officer(user) -> bool:
    return bool(user.department_id) and can(user, PUBLISH, user.department)


def _to_answer(user):
    if not _officer(user):
        return Application.objects.none()
    return Application.objects.filter(status=Application.Status.PENDING, dataset__department_id=user.department_id)


def _rereviews(user):
    if not can(user, "openness.rereview_application"):
        return Application.objects.none()
    return Application.objects.filter(status=Application.Status.REREVIEW)


def _returned(user):
    if not _officer(user):
        return DatasetVersion.objects.none()
    return DatasetVersion.objects.filter(
        status=DatasetVersion.Status.RETURNED,
        dataset__department_id=user.department_id,
        dataset__published_version__isnull=True,
    )


def _stale(user):
    if not _officer(user):
        return Dataset.objects.none()
    return Dataset.objects.filter(
        department_id=user.department_id, stale_since__isnull=False, withdrawn_at__isnull=True
    )


# Written by every use / download and call; counted by no source.
NOT_COUNTED = ("openness.UsageEvent", "openness.ApiKey")

SOURCES = (
    InboxSource(
        kind="openness.review",
        label=gettext_lazy("开放数据待审核"),
        count=lambda u: _reviews(u).count(),
        items=lambda u: [
            InboxItem(
                kind="openness.review",
                title=_("审核开放数据：%(t)s") % {"t": v.title},
                url=reverse("openness:version", args=[v.pk]),
                received_at=v.proposed_at,
                detail=v.dataset.department.name,
            )
            for v in _reviews(u).select_related("dataset__department")
        ],
    ),
    InboxSource(
        kind="openness.application",
        label=gettext_lazy("开放数据申请待答复"),
        count=lambda u: _to_answer(u).count(),
        items=lambda u: [
            InboxItem(
                kind="openness.application",
                title=_("答复开放数据申请：%(t)s") % {"t": a.dataset.published_version.title},
                url=reverse("openness:application", args=[a.pk]),
                deadline=a.due_at,
                received_at=a.submitted_at,
                detail=a.purpose[:100],
            )
            for a in _to_answer(u).select_related("dataset__published_version")
        ],
    ),
    InboxSource(
        kind="openness.rereview",
        label=gettext_lazy("开放数据申请待复核"),
        count=lambda u: _rereviews(u).count(),
        items=lambda u: [
            InboxItem(
                kind="openness.rereview",
                title=_("复核开放数据申请：%(t)s") % {"t": a.dataset.published_version.title},
                url=reverse("openness:application", args=[a.pk]),
                deadline=a.rereview_due_at,
                received_at=a.rereview_requested_at,
                detail=a.rereview_reason[:100],
            )
            for a in _rereviews(u).select_related("dataset__published_version")
        ],
    ),
    InboxSource(
        kind="openness.returned",
        label=gettext_lazy("开放数据发布被退回"),
        count=lambda u: _returned(u).count(),
        items=lambda u: [
            InboxItem(
                kind="openness.returned",
                title=_("修改被退回的开放数据：%(t)s") % {"t": v.title},
                url=reverse("openness:version", args=[v.pk]),
                received_at=v.reviewed_at,
                detail=v.review_comment[:100],
            )
            for v in _returned(u)
        ],
    ),
    InboxSource(
        kind="openness.stale",
        label=gettext_lazy("开放数据已过更新期限"),
        count=lambda u: _stale(u).count(),
        items=lambda u: [
            InboxItem(
                kind="openness.stale",
                title=_("更新开放数据：%(t)s") % {"t": d.published_version.title},
                url=reverse("openness:dataset_manage", args=[d.pk]),
                deadline=d.update_due_at,
                received_at=d.stale_since,
            )
            for d in _stale(u).select_related("published_version")
        ],
    ),
)
