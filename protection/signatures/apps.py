from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "protection.signatures"
    label = "signatures"
    verbose_name = _("电子签名与存证")

    def ready(self):
        from audit.services import head_signers
        from portal.roles import Role, register_role_permissions
        from protection.signatures.services import audit_heads, roots

        # The audit chain's heads become leaves of the next signed root: this keys the chain
        # (a rewrite of the whole chain no longer matches a head the platform signed).
        head_signers.register_head_signer(roots.record_audit_head)
        head_signers.register_head_check(audit_heads.check_audit_heads)
        register_role_permissions(
            Role.BUREAU_ADMIN, "signatures.view_certificate", "signatures.change_certificate", "signatures.view_receipt"
        )
        register_role_permissions(Role.BUREAU_REVIEWER, "signatures.view_receipt")
        register_role_permissions(Role.AUDITOR, "signatures.view_receipt", "signatures.view_certificate")
