"""What the audit app brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from audit.services import batched, record
from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role


def _connect() -> None:
    from audit import checks, dbsignals, signals  # noqa: F401  (sign-in events, system checks)

    dbsignals.connect()


PLUGIN = Plugin(
    navigation=(
        NavItem("audit-usage", _("数据使用日志"), "audit:usage", roles=frozenset({Role.DATA_OFFICER}), order=71),
        NavItem("audit-log", _("审计日志"), "audit_log", roles=frozenset({Role.AUDITOR}), order=85),
        NavItem("audit-integrity", _("审计完整性"), "audit:integrity", roles=frozenset({Role.BUREAU_ADMIN}), order=86),
    ),
    notification_kinds={
        "audit.usage_summary": _("月度数据使用日志"),
        "audit.alert": _("审计日志告警"),
        "audit.chain_head": _("审计日志链头存证"),
    },
    role_permissions={
        # Lhasa art. 39: the auditor reads, exports and verifies the log and changes nothing else;
        # the bureau admin sees only whether the log is intact, never its content.
        Role.AUDITOR: ("audit.view_auditentry", "audit.export_auditentry", "audit.view_auditverification"),
        Role.BUREAU_ADMIN: ("audit.view_auditverification",),
        # Lhasa art. 41: usage logs reach the providing and using departments (their data officers).
        Role.DATA_OFFICER: ("audit.view_usage",),
    },
    # Where the auditor opens an entry's object (portal.trail.object_url).
    audit_object_urls={
        "audit.auditentry": "audit:entry",
        "audit.auditverification": "audit:verification",
        "audit.verificationjob": "audit:verify_job",
    },
    audit_trail=(record, batched),  # the base records through it (portal/trail.py)
    connect=_connect,
)
