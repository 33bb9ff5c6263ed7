"""What detection brings to the portal (portal.plugins): its pages in the navigation, the notice of a
new alert to the bureau, and who may do what."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

_READ = ("detection.view_alert",)
_HANDLE = (*_READ, "detection.close_alert")

PLUGIN = Plugin(
    navigation=(
        NavItem(
            "detection",
            _("安全监测"),
            "detection:alerts",
            order=89,
            roles=frozenset({Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.AUDITOR}),
        ),
    ),
    notification_kinds={"detection.alert": _("安全监测告警")},
    role_permissions={
        # Lhasa art. 39: the bureau's security staff handle what detection finds, the bureau admin
        # tunes the rules; the auditors read the alerts (their handling is what they check).
        Role.BUREAU_ADMIN: (*_HANDLE, "detection.view_detectionrule", "detection.change_detectionrule"),
        Role.BUREAU_REVIEWER: _HANDLE,
        Role.AUDITOR: _READ,
    },
    audit_object_urls={"detection.alert": "detection:alert"},
)
