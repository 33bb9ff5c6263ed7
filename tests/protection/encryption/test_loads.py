"""A catalog data load stores the items protection.grading calls sensitive encrypted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from catalog import datastore
from catalog.models import DataLoad
from catalog.services import entries, loads
from protection.grading.services import is_sensitive
from tests.catalog.factories import content
from tests.catalog.test_datastore_support import make_id

pytestmark = pytest.mark.django_db

ITEMS = [
    {"key": "id_no", "name": "身份证号", "type": "id_number", "required": True},
    {"key": "person_name", "name": "姓名", "type": "string", "length": 20, "required": True},
    {"key": "town", "name": "所在乡镇", "type": "string", "length": 50},
]


def _load(officer):
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=ITEMS)
    rows = [f"{make_id(n)},王{n}芳,城关镇" for n in range(1, 6)]
    upload = SimpleUploadedFile(
        "people.csv", ("身份证号,姓名,所在乡镇\n" + "\n".join(rows) + "\n").encode(), content_type="text/csv"
    )
    load = loads.load_start(actor=officer, entry=entry, upload=upload)
    assert load.status == DataLoad.Status.SUCCEEDED, load.errors
    return entry, load


def test_sensitive_items_of_a_load_are_encrypted(officer):
    entry, load = _load(officer)
    items = {i.key: i for i in entry.working_version.items.all()}
    marked = {c["key"]: c["encrypted"] for c in load.columns}
    assert marked == {key: is_sensitive(item) for key, item in items.items()}
    assert marked["id_no"] is True and marked["town"] is False
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT row_to_json(t)::text FROM datastore."{load.table_name}" t')
        raw = "\n".join(r[0] for r in cursor.fetchall())
    assert make_id(1) not in raw and "城关镇" in raw
    rows = datastore.preview(load.table_name, [datastore.Column(**c) for c in load.columns])
    assert rows[0]["id_no"] == make_id(1) and rows[0]["town"] == "城关镇"


def test_encryption_of_sensitive_items_can_be_turned_off(officer, settings):
    settings.ENCRYPTION = {**settings.ENCRYPTION, "SENSITIVE_ITEMS": False}
    _entry, load = _load(officer)
    assert not any(c["encrypted"] for c in load.columns)
