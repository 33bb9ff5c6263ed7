"""One extension mechanism (portal/plugins.py): what an app brings is found over INSTALLED_APPS,
its `<app>/plugin.py` and its `<app>/schedule.py`, with no list of apps kept anywhere else."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils.module_loading import module_has_submodule

from config import beat
from config.celery import app as celery_app
from config.celery import beat_schedule, schedule_modules
from portal import navigation, plugins
from portal.notification_kinds import KINDS
from portal.roles import Role, role_permissions

EXTRA = "tests.plugin_app"


def with_extra_app():
    return override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, EXTRA])


def test_an_installed_apps_beat_jobs_are_scheduled_without_being_listed_anywhere():
    assert "plugin-app-sweep" not in beat_schedule()
    schedule = beat_schedule([*settings.INSTALLED_APPS, EXTRA])
    assert schedule["plugin-app-sweep"]["task"] == "tests.plugin_app.tasks.sweep"
    with with_extra_app():
        assert "plugin-app-sweep" in beat_schedule()
        # a job an app marks PROTECTED is re-asserted by beat like the audit's own (config/beat.py)
        assert "plugin-app-audited" in beat.protected_names()
    assert "plugin-app-audited" not in beat.protected_names()


def test_celerys_schedule_holds_every_installed_apps_jobs():
    expected = {}
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "schedule"):
            expected.update(importlib.import_module(f"{app_config.name}.schedule").BEAT_SCHEDULE)
    assert expected and set(celery_app.conf.beat_schedule) == set(expected)
    assert {m.__name__ for m in schedule_modules()} >= {
        "audit.schedule",
        "catalog.schedule",
        "sharing.schedule",
        "openness.schedule",
        "portal.schedule",
    }


def test_schedule_modules_accept_an_app_config_path_and_third_party_apps():
    modules = [
        m.__name__
        for m in schedule_modules(["config.staticfiles_app.StaticFilesConfig", "django.contrib.admin", "audit"])
    ]
    assert modules == ["audit.schedule"]


def test_an_installed_apps_plugin_is_discovered_and_connected():
    from tests.plugin_app import plugin

    assert "plugin-app" not in [i.key for i in navigation.items()]
    with with_extra_app():
        assert "plugin-app" in [i.key for i in navigation.items()]
        assert "plugin-app" in [i["key"] for i in navigation.items_for(AnonymousUser())]
        assert KINDS["plugin_app.hello"] == "hello"
        assert "portal.view_user" in role_permissions(Role.AUDITOR)
        assert plugin.CONNECTED
    # uninstalled again: gone from every registry
    assert "plugin-app" not in [i.key for i in navigation.items()]
    assert "plugin_app.hello" not in KINDS
    assert "portal.view_user" not in role_permissions(Role.AUDITOR)


def test_the_domain_apps_declare_their_contributions_in_their_plugins():
    from catalog import withdrawal
    from catalog.selectors import row_access_checks
    from portal.deadline_shifts import shifters
    from sharing.selectors import grants_full_rows

    names = {f"{f.__module__}.{f.__name__}" for f in shifters()}
    assert names == {
        "catalog.deadline_shifts.shift_update_duties",
        "sharing.deadline_shifts.shift_sharing_deadlines",
        "openness.deadline_shifts.shift_application_deadlines",
    }
    # sharing's applications are settled before its grants are read, openness comes last (INSTALLED_APPS)
    assert [h.__module__ for h in withdrawal.handlers()] == [
        "sharing.services.applications",
        "sharing.services.coordination",
        "sharing.services.grants",
        "openness.services.publishing",
    ]
    assert row_access_checks() == (grants_full_rows,)
    assert {"audit.view_auditentry", "audit.export_auditentry"} <= role_permissions(Role.AUDITOR)
    assert {
        "catalog.review_entryversion",
        "sharing.rule_escalated",
        "openness.review_datasetversion",
    } <= role_permissions(Role.BUREAU_REVIEWER)
    assert {"audit.alert", "catalog.duty", "sharing.objection", "openness.stale"} <= set(KINDS)


def test_a_plugin_module_must_name_a_plugin(monkeypatch):
    from tests.plugin_app import plugin

    monkeypatch.setattr(plugin, "PLUGIN", {"navigation": ()})
    with pytest.raises(TypeError, match="is not a portal.plugins.Plugin"), with_extra_app():
        pass
    plugins.discover()
