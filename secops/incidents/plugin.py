"""What the incident register brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from portal import suspensions
from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role
from secops.incidents import metrics
from secops.incidents.services import containment

_HANDLE = ("incidents.report_incident", "incidents.handle_incident", "incidents.view_incident")


def _connect() -> None:
    # sharing and openness ask portal.suspensions before they serve; the holds live here.
    suspensions.register(containment.hold_message)


PLUGIN = Plugin(
    navigation=(
        NavItem(
            "incidents",
            _("安全事件"),
            "incidents:list",
            order=88,
            roles=frozenset({Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.AUDITOR, Role.DATA_OFFICER}),
        ),
    ),
    notification_kinds={
        "incidents.notice": _("安全事件通知"),
        "incidents.reported": _("新报告的安全事件"),
        "incidents.overdue": _("安全事件处置超期"),
    },
    metrics=(metrics.PROVIDER,),
    role_permissions={
        # Lhasa art. 38-39: data officers report incidents to the bureau, which handles them; the
        # auditors read the whole register (its handling is what they check).
        Role.DATA_OFFICER: ("incidents.report_incident",),
        Role.BUREAU_REVIEWER: _HANDLE,
        Role.BUREAU_ADMIN: (*_HANDLE, "incidents.change_reporttemplate"),
        Role.AUDITOR: ("incidents.view_incident",),
    },
    connect=_connect,
)
