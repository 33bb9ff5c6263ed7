"""manage.py rotate_keys: re-wraps with a new master key; re-encrypts resumably (killed half-way,
run again, nothing lost), readable all the while."""

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from catalog import datastore
from protection.encryption import keys, services
from protection.encryption.models import Reencryption, StoredKey
from tests.catalog.test_datastore_support import PEOPLE, person, write_csv
from tests.security.servers import database_url

SEALED = [dataclasses.replace(c, encrypted=c.key in {"id_no", "name", "mobile"}) for c in PEOPLE]


def _load(tmp_path, table, n):
    path = write_csv(tmp_path / f"{table}.csv", [person(i) for i in range(1, n + 1)])
    assert datastore.load_file(path, filename="p.csv", columns=SEALED, table=table).ok


def _key_numbers(table, column="name"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT get_byte({column}, 2) << 24 | get_byte({column}, 3) << 16 "
            f'| get_byte({column}, 4) << 8 | get_byte({column}, 5) FROM datastore."{table}"'
        )
        return {r[0] for r in cursor.fetchall()}


@pytest.mark.django_db
def test_rewrap_moves_every_key_to_the_new_master_key(tmp_path, settings):
    old = keys.generate_key_file(tmp_path / "old.key")
    settings.ENCRYPTION = {**settings.ENCRYPTION, "MASTER_KEY_FILE": str(old)}
    _load(tmp_path, "rot_a", 5)
    before = datastore.preview("rot_a", SEALED)
    new = keys.generate_key_file(tmp_path / "new.key")
    settings.ENCRYPTION = {**settings.ENCRYPTION, "MASTER_KEY_FILE": str(new), "PREVIOUS_MASTER_KEY_FILES": [str(old)]}
    call_command("rotate_keys", stdout=open(os.devnull, "w"))
    current = keys.provider().key_id()
    assert set(StoredKey.objects.values_list("master_key_id", flat=True)) == {current}
    settings.ENCRYPTION = {**settings.ENCRYPTION, "PREVIOUS_MASTER_KEY_FILES": []}  # the old key can go now
    services.forget_keys()
    assert datastore.preview("rot_a", SEALED) == before


@pytest.mark.django_db(transaction=True)
def test_reencryption_killed_half_way_resumes_and_loses_nothing(tmp_path):
    _load(tmp_path, "rot_b", 400)
    before = datastore.preview("rot_b", SEALED, limit=400)
    old_numbers = _key_numbers("rot_b")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "ENCRYPTION_MASTER_KEY_FILE": settings.ENCRYPTION["MASTER_KEY_FILE"],
    }
    run = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "rotate_keys",
            "--reencrypt",
            "--table",
            "rot_b",
            "--batch",
            "20",
            "--pause",
            "0.2",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = Reencryption.objects.filter(scope="rot_b").first()
        if job is not None and job.rows_done >= 100:
            break
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    job = Reencryption.objects.get(scope="rot_b")
    assert job.finished_at is None and 100 <= job.rows_done < 400
    # half old, half new, and every row still opens: readers do not wait for the rotation
    assert len(_key_numbers("rot_b")) == 2
    services.forget_keys()
    assert datastore.preview("rot_b", SEALED, limit=400) == before
    resumed = subprocess.run(
        [sys.executable, "manage.py", "rotate_keys", "--reencrypt", "--table", "rot_b", "--batch", "50"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "rows/s" in resumed.stdout and "done, 400 rows" in resumed.stdout
    job.refresh_from_db()
    assert job.finished_at is not None and job.rows_done == 400
    assert _key_numbers("rot_b") == {job.new_key_id} and not (_key_numbers("rot_b") & old_numbers)
    assert StoredKey.objects.get(pk=job.old_key_id).retired_at is not None
    services.forget_keys()
    assert datastore.preview("rot_b", SEALED, limit=400) == before
    assert datastore.query_rows("rot_b", SEALED, filters={"name": "张三7"})[1] == 1
