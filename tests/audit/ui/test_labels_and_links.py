"""Issue 19 part 8: the auditor reads actions and object types in words (the code in a title), picks
them from lists, sees department names and opens the object of an entry where its app declared a page."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from audit.labels import ACTIONS, action_label, object_type_label
from audit.services import record
from portal.trail import object_url
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

SKIPPED = {"tests", "bench", "scripts", ".venv", "node_modules"}


def _codes_in_source() -> set[str]:
    """Every literal action code passed to record() in the portal's code."""
    codes = set()
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "record" and node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str) and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", node.args[0].value):
                    codes.add(node.args[0].value)
    return codes


def test_every_action_code_written_in_the_source_has_a_chinese_name():
    codes = _codes_in_source()
    assert len(codes) > 80  # the scan finds the codes at all
    missing = sorted(code for code in codes if code not in ACTIONS)
    assert missing == [], f"name these actions in audit/labels.py: {missing}"


def test_labels_come_from_the_table_and_the_models():
    assert action_label("catalog.rows.read") == "读取数据"
    assert action_label("no.such.code") == "no.such.code"  # unnamed: the code, never a wrong word
    assert object_type_label("portal.department") == "部门"
    assert object_type_label("made.up") == "made.up"


def test_the_log_shows_names_with_the_code_in_a_title_and_pick_lists_in_words(client, auditor, officer):
    health = DepartmentFactory(name="市卫健委")
    entry = record("catalog.rows.read", actor=officer, target=health, detail={"provider_department_id": health.pk})
    client.force_login(auditor)
    page = client.get(reverse("audit_log"), {"action": "catalog.rows.read"}).content.decode()
    row = re.search(rf'<tr data-entry="{entry.pk}">(.*?)</tr>', page, re.S).group(1)
    assert '<span title="catalog.rows.read" data-testid="action-label">读取数据</span>' in row
    assert 'title="portal.department"' in row and ">部门</span>" in row
    assert "数据提供部门：市卫健委" in row
    assert officer.department.name in row
    # the pick-lists: options in words, an area's prefix as "全部…操作"
    assert '<option value="catalog.rows.read" selected>读取数据</option>' in page
    assert '<option value="catalog.">全部数据目录操作</option>' in page
    assert '<optgroup label="数据目录">' in page
    assert re.search(r'<option value="portal.department">部门（portal）</option>', page)


def test_an_area_prefix_still_filters_and_a_typed_code_too(client, auditor, officer):
    kept = record("catalog.entry.update", actor=officer)
    other = record("sharing.grant.revoke", actor=officer)
    client.force_login(auditor)
    for value in ("catalog.", "catalog.entry.update"):
        page = client.get(reverse("audit_log"), {"action": value}).content.decode()
        assert f'data-entry="{kept.pk}"' in page and f'data-entry="{other.pk}"' not in page


def test_an_entry_links_to_its_object_where_the_app_declared_a_page(client, auditor):
    client.force_login(auditor)
    client.get(reverse("audit_log"))
    client.get(reverse("audit_log"))  # the second view's entry names nothing; the entry page's one does
    seen = client.get(reverse("audit_log")).content.decode()
    first = int(re.search(r'data-entry="(\d+)"', seen).group(1))
    client.get(reverse("audit:entry", args=[first]))
    page = client.get(reverse("audit_log"), {"action": "audit.entry.view"}).content.decode()
    link = reverse("audit:entry", args=[first])
    assert f'<a href="{link}" data-testid="object-link">' in page
    assert object_url("audit.auditentry", str(first)) == link
    assert object_url("catalog.nothing", "1") is None and object_url("audit.auditentry", "x") is None


def test_the_entry_page_names_the_providing_department(client, auditor, officer):
    health = DepartmentFactory(name="市卫健委")
    entry = record("catalog.rows.read", actor=officer, detail={"provider_department_id": health.pk})
    client.force_login(auditor)
    page = client.get(reverse("audit:entry", args=[entry.pk])).content.decode()
    assert re.search(r'data-testid="entry-owner">市卫健委<', page)
    assert '<span title="catalog.rows.read">读取数据</span>' in page
