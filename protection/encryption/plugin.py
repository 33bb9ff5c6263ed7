"""What encryption at rest brings to the portal (portal.plugins): the key status page of the bureau
administrator and the auditor."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

PLUGIN = Plugin(
    navigation=(
        NavItem(
            "encryption-status",
            _("加密密钥"),
            "encryption:status",
            order=92,
            roles=frozenset({Role.BUREAU_ADMIN, Role.AUDITOR}),
        ),
    ),
    role_permissions={Role.BUREAU_ADMIN: ("encryption.view_storedkey",), Role.AUDITOR: ("encryption.view_storedkey",)},
)
