from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计")

    def ready(self):
        from audit import checks, dbsignals, signals  # noqa: F401  (sign-in events, system checks)
        from portal.roles import Role, register_role_permissions

        dbsignals.connect()
        from audit.services import batched, record
        from portal import trail

        trail.register(record=record, batched=batched)  # the base records through it (portal/trail.py)
        # Lhasa art. 39: the auditor reads, exports and verifies the log and changes nothing else;
        # the bureau admin sees only whether the log is intact, never its content.
        register_role_permissions(Role.AUDITOR, "audit.view_auditentry", "audit.export_auditentry",
                                  "audit.view_auditverification")
        register_role_permissions(Role.BUREAU_ADMIN, "audit.view_auditverification")
        # Lhasa art. 41: usage logs reach the providing and using departments (their data officers).
        register_role_permissions(Role.DATA_OFFICER, "audit.view_usage")
        from portal.notification_kinds import register

        register("audit.alert", _("审计日志告警"))
        register("audit.chain_head", _("审计日志链头存证"))
