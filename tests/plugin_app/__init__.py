"""An app that is listed nowhere but in INSTALLED_APPS (tests/portal/test_plugins.py): its plugin and
its periodic job must be found all the same."""
