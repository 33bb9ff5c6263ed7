"""Encryption at rest through the browser (SECURITY.md "Encryption at rest", Tongren art. 22): a data
officer uploads a file with ID numbers on the entry page; the preview shows the values (decrypted for
the owner) while the raw table holds ciphertext; the bureau admin finds the table's data key on the key
status page, by the navigation."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from catalog.models import DataLoad
from catalog.services import entries
from portal.roles import Role
from tests.browser.test_journeys import sign_in
from tests.catalog.factories import content
from tests.catalog.test_datastore_support import make_id
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = [
    {"key": "id_no", "name": "身份证号", "type": "id_number", "required": True},
    {"key": "town", "name": "所在乡镇", "type": "string", "length": 50},
]


def test_upload_preview_and_key_status(page, tmp_path):
    officer = user_with_role(Role.DATA_OFFICER)
    admin = user_with_role(Role.BUREAU_ADMIN)
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=ITEMS)
    path = tmp_path / "people.csv"
    path.write_text("身份证号,所在乡镇\n" + "".join(f"{make_id(n)},城关镇\n" for n in range(1, 6)), encoding="utf-8")

    sign_in(page, officer.username)
    page.goto(f"/catalog/{entry.pk}/")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=upload-data]")
    page.goto(f"/catalog/{entry.pk}/")
    expect(page.locator("[data-testid=row-preview]")).to_contain_text(make_id(1))
    load = DataLoad.objects.get(entry=entry)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT row_to_json(t)::text FROM datastore."{load.table_name}" t')
        raw = " ".join(r[0] for r in cursor.fetchall())
    assert make_id(1) not in raw and "城关镇" in raw
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")

    sign_in(page, admin.username)
    page.click("[data-nav=encryption-status]")
    expect(page.locator("[data-testid=stored-keys]")).to_contain_text("数据表")
    expect(page.locator("[data-testid=key-summary]")).to_contain_text("sm4-gcm")
    shot = tmp_path / "keys.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "keys-390.png"), full_page=True)
