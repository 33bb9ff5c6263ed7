"""How an app adds to the portal: one `<app>/plugin.py` per app, found over INSTALLED_APPS.

portal is the bottom layer and imports no other app, yet the navigation bar, the inbox, the
notification preferences, the evaluation dashboard, the roles' permissions and a few hooks of the
catalog gather what every app brings. Each app says what it brings in one place, its module
`<app>/plugin.py`, which names a module-level `PLUGIN = Plugin(...)`:

    # sharing/plugin.py
    from portal.plugins import Plugin
    PLUGIN = Plugin(
        navigation=(NavItem("sharing", _("数据共享"), "sharing:home", roles=STAFF, order=30),),
        notification_kinds={"sharing.objection": _("数据异议")},
        role_permissions={Role.DATA_OFFICER: ("sharing.apply_for_data",)},
        ...
    )

`discover()` imports the plugin module of every installed app (an app without one brings nothing)
once, from PortalConfig.ready(), in INSTALLED_APPS order; no list of apps is kept anywhere, so an
installed app is never left out. The registries read the plugins when they are asked
(`contributions()`, `merged()`); nothing registers itself by import or in an AppConfig.ready().

Periodic jobs are the one exception, because Celery beat reads them before Django's app registry
exists: they stay plain data in `<app>/schedule.py` (BEAT_SCHEDULE, PROTECTED), found over the same
INSTALLED_APPS by config.celery.schedule_modules().

To add an app: put it in INSTALLED_APPS; write `<app>/plugin.py` with PLUGIN = Plugin(...) for what it
brings (its apps.py needs no ready()), and `<app>/schedule.py` if it has periodic jobs. A registry a
new app needs is one more field here, read where it is used (contributions("field")).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeVar

from django.apps import apps
from django.core.signals import setting_changed
from django.utils.module_loading import import_string, module_has_submodule


@dataclass(frozen=True)
class Plugin:
    """What one app contributes. Every field is optional; tuples keep their order.

    navigation          portal.navigation.NavItem items of the navigation bar.
    notification_kinds  {kind: label} of the notifications the app sends (preferences page; notify()
                        warns about, or in tests refuses, a kind nobody declared).
    inbox_sources       portal.inbox.InboxSource items of the to-do inbox.
    inbox_not_counted   "app_label.Model" labels of the app's hot-path models that no inbox source
                        counts (their saves leave the inbox badges alone).
    metrics             portal.dashboard.Provider items of the evaluation dashboard.
    role_permissions    {Role: ("app_label.codename", ...)} added to the role groups.
    withdrawal_handlers handler(*, actor, entry, reason) called when a catalog entry is withdrawn,
                        inside its transaction (catalog.withdrawal).
    row_access_checks   check(user, entry) -> bool: one more reason a user may read an entry's rows
                        (catalog.selectors.may_see_rows).
    deadline_shifters   shifter(shift) -> int: moves the app's open deadlines after a change of the
                        working-day calendar (portal.deadline_shifts).
    credential_revokers {name: revoker(*, user) -> int}: credentials that end with the password
                        (accounts.services.credentials).
    audit_head_signers  signer(*, number, block_hash, day): called for every new head of the audit
                        chain, inside the transaction that made it (audit.services.head_signers).
    audit_head_checks   check() -> [problem, ...]: the chain compared with the heads those signers
                        signed, for verify_audit's report.
    upload_max_bytes    provider() -> int: the largest file the app accepts in an upload (the request
                        guard's limit is the largest of them, portal.uploads).
    audit_trail         (record, batched) of the app that keeps the audit trail, through which the
                        base records its audited operations (portal.trail); one app only.
    audit_object_urls   {object_type: url name}: where the auditor opens an entry's object; the url
                        name takes the object id as its one argument (portal.trail.object_url).
    connect             called once after discovery: connects the app's signal receivers and loads
                        its system checks (dispatch_uid keeps a second call harmless).
    """

    navigation: tuple = ()
    notification_kinds: Mapping[str, str] = field(default_factory=dict)
    inbox_sources: tuple = ()
    inbox_not_counted: tuple[str, ...] = ()
    metrics: tuple = ()
    role_permissions: Mapping = field(default_factory=dict)
    withdrawal_handlers: tuple[Callable, ...] = ()
    row_access_checks: tuple[Callable, ...] = ()
    deadline_shifters: tuple[Callable, ...] = ()
    credential_revokers: Mapping[str, Callable] = field(default_factory=dict)
    audit_head_signers: tuple[Callable, ...] = ()
    audit_head_checks: tuple[Callable[[], list], ...] = ()
    upload_max_bytes: tuple[Callable[[], int], ...] = ()
    audit_trail: tuple[Callable, Callable] | None = None
    audit_object_urls: Mapping[str, str] = field(default_factory=dict)
    connect: Callable[[], None] | None = None


T = TypeVar("T")
MODULE = "plugin"  # <app>/plugin.py
_found: tuple[Plugin, ...] | None = None
_lock = threading.RLock()


def discover() -> tuple[Plugin, ...]:
    """Import every installed app's plugin module (again if the installed apps changed), then
    connect each plugin. Returns the plugins in INSTALLED_APPS order."""
    global _found
    with _lock:
        found = []
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, MODULE):
                continue
            plugin = import_string(f"{app_config.name}.{MODULE}.PLUGIN")
            if not isinstance(plugin, Plugin):
                raise TypeError(f"{app_config.name}.{MODULE}.PLUGIN is not a portal.plugins.Plugin")
            found.append(plugin)
        _found = tuple(found)
        for plugin in _found:
            if plugin.connect is not None:
                plugin.connect()
        return _found


def plugins() -> tuple[Plugin, ...]:
    """The installed apps' plugins (discovered on first use if ready() has not run yet)."""
    found = _found
    return found if found is not None else discover()


def derived(function: Callable[[], T]) -> Callable[[], T]:
    """Cache what `function()` computes from the plugins until they are discovered again (the
    navigation, the inbox and the notification kinds are read on every page and every save)."""
    cache: list = [None, None]  # [the plugins it was computed from, the value]

    @functools.wraps(function)
    def wrapper() -> T:
        found = plugins()
        if cache[0] is not found:
            cache[:] = [found, function()]
        return cache[1]

    return wrapper


def contributions(name: str) -> tuple:
    """One tuple field of every plugin, concatenated in INSTALLED_APPS order."""
    return tuple(chain.from_iterable(getattr(plugin, name) for plugin in plugins()))


def merged(name: str) -> dict:
    """One mapping field of every plugin, merged in INSTALLED_APPS order (a later app's key wins)."""
    out: dict = {}
    for plugin in plugins():
        out.update(getattr(plugin, name))
    return out


def _installed_apps_changed(*, setting, **_kwargs) -> None:
    # A test that installs an app (override_settings) sees its plugin, and loses it afterwards.
    global _found
    if setting == "INSTALLED_APPS":
        _found = None


setting_changed.connect(_installed_apps_changed, dispatch_uid="portal-plugins-installed-apps")
