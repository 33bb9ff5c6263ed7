"""What the base itself brings (portal.plugins): its pages in the navigation bar (the dashboard and
the admin site are the top layer's, backoffice/plugin.py), and the role groups kept in step with
departments, users and every migrate."""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from portal.navigation import STAFF, NavItem
from portal.plugins import Plugin
from portal.roles import Role


def _after_migrate(sender, using="default", **kwargs):
    # Permissions of every app exist only once the last app's post_migrate has run.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from portal.services.roles import ensure_role_groups

    ensure_role_groups(using=using)


def _connect() -> None:
    from portal import signals  # noqa: F401  (department groups follow departments and users)

    post_migrate.connect(_after_migrate, dispatch_uid="portal_roles")


PLUGIN = Plugin(
    navigation=(
        NavItem("home", _("首页"), "home", public=True, order=0),
        NavItem("open-data", _("开放数据"), "open_data_home", public=True, order=10),
        NavItem("departments", _("部门"), "department_list", roles=STAFF, order=60),
        NavItem("calendar", _("工作日历"), "calendar", roles=frozenset({Role.BUREAU_ADMIN}), order=80),
        NavItem("policy", _("期限与条款"), "policy_list", roles=frozenset({Role.BUREAU_ADMIN}), order=81),
        NavItem("api-docs", _("接口文档"), "api_docs", order=95),
    ),
    # Issue 19 part 4: the bureau admin sets deadline lengths and cited articles (portal.policy).
    role_permissions={Role.BUREAU_ADMIN: ("portal.add_policysetting", "portal.view_policysetting")},
    connect=_connect,
)
