"""What accounts brings to the portal (portal.plugins): the account and department management pages
of the bureau admin and of a department's data officer (issue 19 part 6)."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

PLUGIN = Plugin(
    navigation=(
        NavItem(
            "staff",
            _("用户管理"),
            "accounts:user_list",
            roles=frozenset({Role.BUREAU_ADMIN, Role.DATA_OFFICER}),
            order=84,
        ),
    ),
)
