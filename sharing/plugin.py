"""What the sharing app brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import STAFF, NavItem
from portal.plugins import Plugin
from portal.roles import Role
from sharing import deadline_shifts, inbox, metrics, selectors
from sharing.services import applications, coordination, grants

_DEPARTMENT = ("sharing.apply_for_data", "sharing.use_grant")
_BUREAU = (
    "sharing.view_all_applications",
    "sharing.revoke_any_grant",
    "sharing.view_scenario",
    "sharing.view_deadline",
)

PLUGIN = Plugin(
    navigation=(
        NavItem("sharing", _("数据共享"), "sharing:home", roles=STAFF, order=30),
        NavItem(
            "sharing-review",
            _("共享审核"),
            "sharing:review",
            order=31,
            roles=frozenset({Role.DATA_OFFICER, Role.BUREAU_REVIEWER}),
        ),
        NavItem(
            "sharing-scenarios", _("应用场景"), "sharing:scenarios", order=32, roles=frozenset({Role.BUREAU_ADMIN})
        ),
    ),
    notification_kinds={
        "sharing.application_received": _("共享申请待审核"),
        "sharing.application_decided": _("共享申请结果"),
        "sharing.deadline_reminder": _("共享事项即将到期"),
        "sharing.deadline_overdue": _("共享事项已超期"),
        "sharing.escalated": _("逾期事项上报大数据局"),
        "sharing.grant_changed": _("共享授权撤销或到期"),
        "sharing.grant_expiring": _("共享授权即将到期"),
        "sharing.objection": _("数据异议"),
        "sharing.coordination": _("协调申请"),
    },
    inbox_sources=inbox.SOURCES,
    inbox_not_counted=inbox.NOT_COUNTED,
    metrics=(metrics.PROVIDER,),
    role_permissions={
        Role.DEPARTMENT_STAFF: _DEPARTMENT,
        Role.DATA_OFFICER: _DEPARTMENT,
        Role.BUREAU_REVIEWER: (*_BUREAU, "sharing.review_unconditional", "sharing.rule_escalated"),
        Role.BUREAU_ADMIN: (
            *_BUREAU,
            "sharing.add_scenario",
            "sharing.change_scenario",
            "sharing.view_sharingpolicy",
            "sharing.change_sharingpolicy",
        ),
    },
    # A withdrawn catalog entry ends what waits on it and what is granted on it (Hechi 2nd art. 29):
    # applications first, so that a renewal being decided is settled before the grants are read.
    withdrawal_handlers=(
        applications.refuse_for_withdrawn_entry,
        coordination.close_for_withdrawn_entry,
        grants.revoke_for_withdrawn_entry,
    ),
    row_access_checks=(selectors.grants_full_rows,),
    deadline_shifters=(deadline_shifts.shift_sharing_deadlines,),
)
