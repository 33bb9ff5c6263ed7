"""Every link in a notification or an inbox item is reversed from the URL configuration, never
written by hand: a page that moves takes its notices' links with it."""

import pathlib
import re

import pytest
from django.apps import apps
from django.urls import clear_script_prefix, set_script_prefix

from catalog.services import entries
from portal.inbox import inbox_for
from portal.models import Notification
from portal.roles import Role
from tests.catalog.factories import draft
from tests.factories import user_with_role

ROOT = pathlib.Path(__file__).resolve().parents[2]
HAND_WRITTEN = re.compile(r"""\burl\s*=\s*f?["']/""")


def _project_packages() -> list[pathlib.Path]:
    """config/ and every installed app of the repository (not the libraries, not the tests)."""
    found = {ROOT / "config"}
    for app_config in apps.get_app_configs():
        path = pathlib.Path(app_config.path).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / "tests") and ".venv" not in path.parts:
            found.add(path)
    return sorted(found)


def test_no_link_of_a_notice_or_an_inbox_item_is_written_by_hand():
    packages = _project_packages()
    assert {ROOT / "catalog", ROOT / "openness", ROOT / "audit"} <= set(packages)
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in packages
        for path in sorted(package.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_WRITTEN.search(line)
    ]
    assert found == []


@pytest.fixture
def under_a_prefix():
    """The portal served under /sub/ (a reverse proxy's SCRIPT_NAME): reverse() prefixes every link."""
    set_script_prefix("/sub/")
    yield "/sub/"
    clear_script_prefix()


@pytest.mark.django_db
def test_a_notice_and_an_inbox_item_link_to_where_the_page_is_served(under_a_prefix):
    officer, reviewer = user_with_role(Role.DATA_OFFICER), user_with_role(Role.BUREAU_REVIEWER)
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    notice = Notification.objects.get(user=reviewer, kind="catalog.review_waiting")
    assert notice.url == f"/sub/catalog/{entry.pk}/"
    [item] = [i for i in inbox_for(reviewer) if i.kind == "catalog.review"]
    assert item.url == f"/sub/catalog/{entry.pk}/"
