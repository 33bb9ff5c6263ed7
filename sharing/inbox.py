"""What the sharing app puts in users' inboxes (docs/features.md P2): applications to decide, objections and
coordination requests to answer, and — for the bureau — what was escalated for being overdue."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.inbox import InboxItem, InboxSource
from portal.permissions import can
from sharing import selectors
from sharing.models import Application, Coordination, Objection
from sharing.services.people import url


def _reviews(user):
    """The user's review queue, without what the bureau handles as escalated (listed on its own)."""
    qs = selectors.review_queue(user)
    if can(user, "sharing.rule_escalated"):
        qs = qs.exclude(review_by=Application.Reviewer.PROVIDER, status=Application.Status.ESCALATED)
    return qs


def _provider(user) -> bool:
    return bool(user.department_id) and can(user, "portal.review_share_requests", user.department)


def _objections(user):
    if not _provider(user):
        return Objection.objects.none()
    return Objection.objects.filter(
        provider_department_id=user.department_id, status=Objection.Status.OPEN
    ).select_related("entry", "user_department", "deadline")


def _coordinations(user):
    if not _provider(user):
        return Coordination.objects.none()
    return Coordination.objects.filter(
        provider_department_id=user.department_id, status=Coordination.Status.OPEN
    ).select_related("entry", "applicant_department", "deadline")


def _escalated(user):
    """For bureau reviewers: overdue applications and coordination requests to rule on, and
    overdue objections to follow up."""
    if not can(user, "sharing.rule_escalated"):
        return Application.objects.none(), Coordination.objects.none(), Objection.objects.none()
    apps = Application.objects.filter(
        review_by=Application.Reviewer.PROVIDER, status=Application.Status.ESCALATED
    ).select_related("entry_version", "applicant_department", "provider_department", "deadline")
    coordinations = Coordination.objects.filter(status=Coordination.Status.ESCALATED).select_related(
        "entry", "applicant_department", "deadline"
    )
    objections = Objection.objects.filter(
        status=Objection.Status.OPEN, deadline__escalated_at__isnull=False
    ).select_related("entry", "user_department", "provider_department", "deadline")
    return apps, coordinations, objections


def _escalated_items(user):
    apps, coordinations, objections = _escalated(user)
    items = [
        InboxItem(
            kind="sharing.escalated",
            url=url("application", a.pk),
            deadline=a.deadline.due_at,
            received_at=a.submitted_at,
            detail=a.provider_department.name,
            title=_("逾期未审核的共享申请：%(d)s 申请「%(n)s」")
            % {"d": a.applicant_department.name, "n": a.entry_version.name},
        )
        for a in apps
    ]
    items += [
        InboxItem(
            kind="sharing.escalated",
            url=url("coordination", c.pk),
            deadline=getattr(getattr(c, "deadline", None), "due_at", None),
            received_at=c.opened_at,
            title=_("提请协调的申请：%(d)s 需要「%(c)s」") % {"d": c.applicant_department.name, "c": c.entry.code},
        )
        for c in coordinations
    ]
    items += [
        InboxItem(
            kind="sharing.escalated",
            url=url("objection", o.pk),
            deadline=o.deadline.due_at,
            received_at=o.raised_at,
            detail=o.provider_department.name,
            title=_("逾期未核查的数据异议：%(d)s 对「%(c)s」") % {"d": o.user_department.name, "c": o.entry.code},
        )
        for o in objections
    ]
    return items


def _escalated_count(user) -> int:
    return sum(qs.count() for qs in _escalated(user))


# Written by every use / download and call; counted by no source.
NOT_COUNTED = ("sharing.GrantUse",)

SOURCES = (
    InboxSource(
        kind="sharing.review",
        label=gettext_lazy("共享申请待审核"),
        count=lambda u: _reviews(u).count(),
        items=lambda u: [
            InboxItem(
                kind="sharing.review",
                url=url("application", a.pk),
                deadline=getattr(getattr(a, "deadline", None), "due_at", None),
                received_at=a.submitted_at,
                detail=a.get_mode_display(),
                title=_("审核共享申请：%(d)s 申请「%(n)s」")
                % {"d": a.applicant_department.name, "n": a.entry_version.name},
            )
            for a in _reviews(u)
        ],
    ),
    InboxSource(
        kind="sharing.escalated", label=gettext_lazy("逾期上报事项"), count=_escalated_count, items=_escalated_items
    ),
    InboxSource(
        kind="sharing.objection",
        label=gettext_lazy("数据异议待核查"),
        count=lambda u: _objections(u).count(),
        items=lambda u: [
            InboxItem(
                kind="sharing.objection",
                url=url("objection", o.pk),
                deadline=o.deadline.due_at,
                received_at=o.raised_at,
                detail=o.reason[:100],
                title=_("核查数据异议：%(d)s 对「%(c)s」") % {"d": o.user_department.name, "c": o.entry.code},
            )
            for o in _objections(u)
        ],
    ),
    InboxSource(
        kind="sharing.coordination",
        label=gettext_lazy("协调申请待答复"),
        count=lambda u: _coordinations(u).count(),
        items=lambda u: [
            InboxItem(
                kind="sharing.coordination",
                url=url("coordination", c.pk),
                deadline=c.deadline.due_at,
                received_at=c.opened_at,
                detail=c.need[:100],
                title=_("答复协调申请：%(d)s 需要「%(c)s」") % {"d": c.applicant_department.name, "c": c.entry.code},
            )
            for c in _coordinations(u)
        ],
    ),
)
