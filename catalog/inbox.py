"""What the catalog puts in users' inboxes: entries to review, returned entries, updates due."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import EntryVersion, UpdateDuty
from portal.inbox import InboxItem, InboxSource
from portal.permissions import can


def _reviews(user):
    if not can(user, "catalog.review_entryversion"):
        return EntryVersion.objects.none()
    return EntryVersion.objects.filter(status=EntryVersion.Status.SUBMITTED)


def _returned(user):
    if not user.department_id or not can(user, "portal.maintain_catalog", user.department):
        return EntryVersion.objects.none()
    return EntryVersion.objects.filter(status=EntryVersion.Status.RETURNED, entry__department_id=user.department_id)


def _duties(user):
    if not user.department_id or not can(user, "portal.maintain_catalog", user.department):
        return UpdateDuty.objects.none()
    # an update submitted for review waits for the bureau, not for the department
    return UpdateDuty.objects.filter(
        status=UpdateDuty.Status.OPEN, done_at__isnull=True, entry__department_id=user.department_id
    )


SOURCES = (
    InboxSource(
        kind="catalog.review",
        label=gettext_lazy("目录待审核"),
        count=lambda u: _reviews(u).count(),
        items=lambda u: [
            InboxItem(
                kind="catalog.review",
                title=_("审核资源目录：%(n)s") % {"n": v.name},
                url=reverse("catalog:detail", args=[v.entry_id]),
                received_at=v.submitted_at,
                detail=v.entry.department.name,
            )
            for v in _reviews(u).select_related("entry__department")
        ],
    ),
    InboxSource(
        kind="catalog.returned",
        label=gettext_lazy("目录被退回"),
        count=lambda u: _returned(u).count(),
        items=lambda u: [
            InboxItem(
                kind="catalog.returned",
                title=_("修改被退回的目录：%(n)s") % {"n": v.name},
                url=reverse("catalog:detail", args=[v.entry_id]),
                received_at=v.reviewed_at,
                detail=v.review_comment[:100],
            )
            for v in _returned(u)
        ],
    ),
    InboxSource(
        kind="catalog.duty",
        label=gettext_lazy("目录更新到期"),
        count=lambda u: _duties(u).count(),
        items=lambda u: [
            InboxItem(
                kind="catalog.duty",
                title=_("更新资源目录：%(c)s") % {"c": d.entry.code},
                url=reverse("catalog:detail", args=[d.entry_id]),
                deadline=d.due_at,
                received_at=d.change.recorded_at,
                detail=d.change.description[:100],
            )
            for d in _duties(u).select_related("entry", "change")
        ],
    ),
)
