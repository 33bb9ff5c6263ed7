"""Uploaded files: encrypted on disk from receipt, never plaintext on disk, removed when loaded."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import DataLoad
from catalog.services import entries, loads
from protection.encryption import files, keys
from tests.catalog.factories import content
from tests.catalog.test_datastore_support import make_id

pytestmark = pytest.mark.django_db


def _all_bytes(directory) -> bytes:
    out = b""
    for root, _dirs, names in os.walk(directory):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                out += f.read()
    return out


def test_round_trip_and_tampering(tmp_path):
    data = os.urandom(200_000) + "身份证号".encode()
    path = tmp_path / "f.enc"
    assert files.encrypt_chunks([data[:1000], data[1000:]], path) == len(data)
    raw = path.read_bytes()
    assert raw.startswith(files.MAGIC) and "身份证号".encode() not in raw
    assert b"".join(files.decrypt_chunks(path)) == data
    with files.plaintext(path) as plain:
        assert open(plain, "rb").read() == data
        assert plain.startswith("/proc/self/fd/")  # no name on disk
    for damage in (raw[:-1], raw[:70_000], raw + b"x", raw[:100] + bytes([raw[100] ^ 1]) + raw[101:]):
        path.write_bytes(damage)
        with pytest.raises(keys.TamperedError, match="篡改"):
            b"".join(files.decrypt_chunks(path))
    # records swapped: each is bound to its position
    first = 8 + 4 + int.from_bytes(raw[8:12], "big")
    second = first + 4 + int.from_bytes(raw[first : first + 4], "big")
    path.write_bytes(raw[:8] + raw[first:second] + raw[8:first] + raw[second:])
    with pytest.raises(keys.TamperedError):
        b"".join(files.decrypt_chunks(path))


def test_large_upload_never_touches_disk_in_plaintext(client, officer, tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # every file part goes to the encrypting handler
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CATALOG_LOADS = {"sync_bytes": 10 * 1024 * 1024}
    items = [
        {"key": "id_no", "name": "身份证号", "type": "id_number", "required": True},
        {"key": "town", "name": "所在乡镇", "type": "string", "length": 50},
    ]
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=items)
    body = "身份证号,所在乡镇\n" + "\n".join(f"{make_id(n)},城关镇{n}" for n in range(1, 300)) + "\n"
    seen = []
    original = files.Writer.close

    def spy(writer):  # what is on disk while the request runs
        original(writer)
        seen.append(_all_bytes(tmp_path))

    files.Writer.close = spy
    try:
        upload = SimpleUploadedFile("people.csv", body.encode(), content_type="text/csv")
        client.force_login(officer)
        response = client.post(reverse("catalog:upload", args=[entry.pk]), {"file": upload})
        assert response.status_code == 302
    finally:
        files.Writer.close = original
    load = DataLoad.objects.get(entry=entry)
    assert load.status == DataLoad.Status.SUCCEEDED, load.errors
    assert seen and all(make_id(1).encode() not in snapshot and "城关镇1".encode() not in snapshot for snapshot in seen)
    assert not os.path.exists(load.file_path)  # removed once loaded
    assert not any(os.scandir(tmp_path / "incoming"))


def test_a_tampered_stored_load_fails_with_a_message(officer, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CATALOG_LOADS = {"sync_bytes": 0}  # queued: the file waits on disk
    items = [{"key": "town", "name": "所在乡镇", "type": "string", "length": 50}]
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=items)
    load = loads.load_start(
        actor=officer,
        entry=entry,
        upload=SimpleUploadedFile("t.csv", "所在乡镇\n城关镇\n".encode(), content_type="text/csv"),
    )
    raw = open(load.file_path, "rb").read()
    assert "城关镇".encode() not in raw
    with open(load.file_path, "wb") as f:
        f.write(raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:])
    loads.load_run(load_id=load.pk)
    load.refresh_from_db()
    assert load.status == DataLoad.Status.FAILED and "篡改" in load.errors[0]["message"]
