"""What grading brings to the portal (portal.plugins): the levels page of the bureau administrator."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

PLUGIN = Plugin(
    navigation=(
        NavItem("grading-levels", _("数据分级"), "grading:levels", order=90, roles=frozenset({Role.BUREAU_ADMIN})),
    ),
    role_permissions={Role.BUREAU_ADMIN: ("grading.manage_gradelevel",)},
)
