"""What the self-checks put in users' inboxes: the open findings their department must put right
(Tongren art. 15(七): the self-check is followed by its rectification)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.inbox import InboxItem, InboxSource
from secops.selfchecks import selectors

KIND = "selfchecks.finding"


def _items(user):
    return [
        InboxItem(
            kind=KIND,
            title=_("整改自查问题：%(s)s") % {"s": f.subject},
            url=reverse("selfchecks:finding", args=[f.pk]),
            received_at=f.created_at,
            detail=f.get_severity_display(),
        )
        for f in selectors.open_findings_of(user).order_by("-created_at")[:200]
    ]


SOURCES = (
    InboxSource(
        kind=KIND,
        label=gettext_lazy("安全自查待整改"),
        count=lambda u: selectors.open_findings_of(u).count(),
        items=_items,
    ),
)
