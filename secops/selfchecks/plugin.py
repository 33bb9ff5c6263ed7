"""What the security self-checks bring to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role
from secops.selfchecks import inbox

_READ = ("selfchecks.view_selfcheckrun", "selfchecks.view_riskassessment")

PLUGIN = Plugin(
    navigation=(
        NavItem(
            "selfchecks",
            _("安全自查"),
            "selfchecks:home",
            order=89,
            roles=frozenset({Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.AUDITOR, Role.DATA_OFFICER}),
        ),
    ),
    notification_kinds={"selfchecks.run_done": _("安全自查完成")},
    inbox_sources=inbox.SOURCES,
    role_permissions={
        # Tongren art. 15(七), Lhasa art. 38-39: the bureau's security staff run the checks and keep the
        # risk assessments; the owner department's officer puts its findings right; the auditors read.
        Role.BUREAU_ADMIN: (
            *_READ,
            "selfchecks.run_selfcheck",
            "selfchecks.resolve_finding",
            "selfchecks.add_riskassessment",
            "selfchecks.change_riskassessment",
        ),
        Role.BUREAU_REVIEWER: (*_READ, "selfchecks.run_selfcheck", "selfchecks.resolve_finding"),
        Role.AUDITOR: _READ,
        Role.DATA_OFFICER: ("selfchecks.resolve_finding",),
    },
)
