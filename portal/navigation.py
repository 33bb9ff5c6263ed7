"""The navigation bar: items by role. Apps add theirs with register()."""
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal.roles import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset = field(default_factory=frozenset)  # empty: every signed-in user
    public: bool = False  # shown to anonymous visitors too
    order: int = 50


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    _ITEMS[:] = [i for i in _ITEMS if i.key != item.key] + [item]


def items_for(user) -> list[dict]:
    roles = set(user.roles) if user.is_authenticated else set()
    visible = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if user.is_authenticated:
            if item.roles and not (roles & item.roles):
                continue
        elif not item.public:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"key": item.key, "label": item.label, "url": url})
    return visible


STAFF = frozenset({Role.DEPARTMENT_STAFF, Role.DATA_OFFICER, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})

register(NavItem("home", _("首页"), "home", public=True, order=0))
register(NavItem("open-data", _("开放数据"), "open_data_home", public=True, order=10))
register(NavItem("departments", _("部门"), "department_list", roles=STAFF, order=60))
register(NavItem("dashboard", _("考核"), "dashboard", roles=STAFF, order=70))
register(NavItem("calendar", _("工作日历"), "calendar", roles=frozenset({Role.BUREAU_ADMIN}), order=80))
register(NavItem("admin", _("管理后台"), "admin:index", roles=frozenset({Role.BUREAU_ADMIN}), order=90))
register(NavItem("audit-log", _("审计日志"), "audit_log", roles=frozenset({Role.AUDITOR}), order=85))
register(NavItem("audit-integrity", _("审计完整性"), "audit:integrity", roles=frozenset({Role.BUREAU_ADMIN}),
                 order=86))
register(NavItem("audit-usage", _("数据使用日志"), "audit:usage", roles=frozenset({Role.DATA_OFFICER}), order=71))
register(NavItem("api-docs", _("接口文档"), "api_docs", order=95))
