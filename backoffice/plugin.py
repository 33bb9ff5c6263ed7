"""What the top layer brings to the portal (portal.plugins): its pages in the navigation bar."""

from django.utils.translation import gettext_lazy as _

from portal.navigation import STAFF, NavItem
from portal.plugins import Plugin
from portal.roles import Role

PLUGIN = Plugin(
    navigation=(
        NavItem("dashboard", _("考核"), "dashboard", roles=STAFF, order=70),
        NavItem("admin", _("管理后台"), "admin:index", roles=frozenset({Role.BUREAU_ADMIN}), order=90),
    ),
)
