"""What the signatures app brings to the portal (portal.plugins)."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role
from protection.signatures.services import audit_heads, roots

PLUGIN = Plugin(
    navigation=(
        NavItem(
            "signatures-certificates",
            _("数字证书"),
            "signatures:certificates",
            roles=frozenset({Role.BUREAU_ADMIN, Role.AUDITOR}),
            order=87,
        ),
    ),
    role_permissions={
        # Hechi art. 40: the bureau admin issues and revokes key records; the bureau and the auditors
        # read every receipt (departments read those of their own deliveries, selectors.py).
        Role.BUREAU_ADMIN: ("signatures.view_certificate", "signatures.change_certificate", "signatures.view_receipt"),
        Role.BUREAU_REVIEWER: ("signatures.view_receipt",),
        Role.AUDITOR: ("signatures.view_receipt", "signatures.view_certificate"),
    },
    # The audit chain's heads become leaves of the next signed root, and verify_audit compares the
    # chain with the signed heads: this keys the chain (seed 004 抗抵赖).
    audit_head_signers=(roots.record_audit_head,),
    audit_head_checks=(audit_heads.check_audit_heads,),
)
