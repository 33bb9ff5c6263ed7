"""The navigation bar: items by role. Each app lists its items in its plugin (portal.plugins)."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from portal import plugins
from portal.roles import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset = field(default_factory=frozenset)  # empty: every signed-in user
    public: bool = False  # shown to anonymous visitors too
    order: int = 50


@plugins.derived
def items() -> list[NavItem]:
    """Every app's items, in menu order."""
    return sorted(plugins.contributions("navigation"), key=lambda i: i.order)


def items_for(user) -> list[dict]:
    roles = set(user.roles) if user.is_authenticated else set()
    visible = []
    for item in items():
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
