from portal.navigation import NavItem
from portal.plugins import Plugin
from portal.roles import Role

CONNECTED: list[str] = []

PLUGIN = Plugin(
    navigation=(NavItem("plugin-app", "plugin app", "home", public=True, order=99),),
    notification_kinds={"plugin_app.hello": "hello"},
    role_permissions={Role.AUDITOR: ("portal.view_user",)},
    connect=lambda: CONNECTED.append("connected"),
)
