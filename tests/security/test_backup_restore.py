"""Backup and restore (SECURITY.md, backup and restore): `manage.py backup` writes the database, the uploaded files and the
audit chain heads into one archive; `manage.py restore` puts them into an empty installation, where
every entry, dataset, application, data table and audit entry is found again and the audit chain
verifies — including with the application's restricted database role.

The backup is made from the test database (committed data: transactional tests); the restore goes
into a new database (and, for the disaster case, a new PostgreSQL cluster) through subprocesses with
their own DATABASE_URL, MEDIA_ROOT and AUDIT_HEAD_DIR, as an operator would run it.
"""

import json
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from audit.services.chain import seal
from audit.services.heads import export_head
from portal.roles import Role
from tests.factories import user_with_role
from tests.security import servers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # real gunicorn / Celery / restore processes

# Counted in the original and in the restored installation.
COUNT_TABLES = [
    "portal_user",
    "portal_department",
    "catalog_resourceentry",
    "catalog_entryversion",
    "catalog_dataload",
    "openness_dataset",
    "openness_datasetversion",
    "openness_application",
    "openness_apikey",
    "openness_upload",
    "audit_auditentry",
    "audit_auditblock",
]

SNAPSHOT = """
import json
from django.db import connection
tables = %(tables)r
out = {}
with connection.cursor() as c:
    for t in tables:
        if t in %(present)r:
            c.execute(f'SELECT count(*) FROM "{t}"')
            out[t] = c.fetchone()[0]
    c.execute("SELECT string_agg(id::text || ':' || action || ':' || txid::text, ',' ORDER BY id) FROM audit_auditentry")
    out['audit_ids'] = c.fetchone()[0]
    c.execute(%(rows_sql)r)
    out['rows'] = c.fetchall()
    c.execute("SELECT max(block_number) FROM audit_auditheadexport")
    out['head_block'] = c.fetchone()[0]
# encrypted items come as bytea: compared as their hex (the same ciphertext must come back)
print(json.dumps(out, default=lambda v: bytes(v).hex() if isinstance(v, memoryview) else str(v)))
"""


def _present(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        names = {r[0] for r in cursor.fetchall()}
    return [t for t in tables if t in names]


@pytest.fixture
def world(settings, tmp_path):
    """Entries, a loaded data version, a published dataset, an upload, an application, API keys, audit
    entries sealed into the chain, and a head exported to the auditors' file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    from openness.services import apikeys, uploads
    from tests.catalog.factories import draft
    from tests.openness.factories import approved_application, company, csv_upload, published_dataset

    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    citizen = user_with_role(Role.PUBLIC)
    draft(officer, name="备份测试草稿")
    dataset, version = published_dataset(
        officer,
        reviewer,
        rows=[company(n, note="备份") for n in range(1, 8)],
        open_type="on_application",
        open_condition="须注册并说明用途",
    )
    approved_application(dataset, citizen, officer)
    apikeys.apikey_create(actor=citizen, name="backup")
    uploads.upload_create(
        actor=officer,
        department=officer.department,
        upload=csv_upload([company(n) for n in range(20, 23)], name="upload.csv"),
    )
    # an uploaded file that lives on in MEDIA_ROOT (the restored installation must have it back)
    media = settings.MEDIA_ROOT / "loads"
    media.mkdir(parents=True, exist_ok=True)
    (media / "kept.csv").write_bytes("统一社会信用代码\n".encode() * 3)
    seal()
    export_head()
    from catalog.models import DataLoad

    load = DataLoad.objects.filter(status=DataLoad.Status.SUCCEEDED).latest("id")
    return {"load": load, "officer": officer}


def _snapshot(env, load_table_sql):
    present = _present(COUNT_TABLES)
    code = SNAPSHOT % {"tables": COUNT_TABLES, "present": present, "rows_sql": load_table_sql}
    return json.loads(servers.run_python(code, env=env).strip().splitlines()[-1])


def _new_database():
    from tests.audit.conftest import as_login_role

    name = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with as_login_role(), connection.cursor() as cursor:  # the portal's role may not (SECURITY.md 14.18)
        cursor.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(name):
    from tests.audit.conftest import as_login_role

    with as_login_role(), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows_sql(load):
    """The rows of the loaded data version, straight from its datastore table."""
    from catalog.datastore.sql import render, table_ref

    return f"SELECT * FROM {render(table_ref(load.table_name), connection)} ORDER BY 1"


def test_a_restored_backup_has_every_row_file_and_audit_entry_and_its_chain_verifies(world, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    rows_sql = _rows_sql(world["load"])
    original = _snapshot(servers.portal_env(), rows_sql)  # what the dump holds (backoffice.backup comes after it)
    assert original["audit_ids"] and original["rows"] and original["head_block"]
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    assert archive.stat().st_size > 0

    name = _new_database()
    try:
        env = servers.portal_env(
            DATABASE_URL=servers.database_url(name),
            MEDIA_ROOT=tmp_path / "new-media",
            AUDIT_HEAD_DIR=tmp_path / "new-heads",
            AUDIT_USE_APP_DB_ROLE="true",
        )
        result = servers.manage("restore", str(archive), env=env)
        assert "audit chain verified OK" in result.stdout, result.stdout
        restored = _snapshot(env, rows_sql)
        # The restore recorded itself (backoffice.restore) and verify_audit, run by restore, appended its
        # own entry: every original one is there, unchanged.
        ids = restored.pop("audit_ids")
        assert ids.startswith(original.pop("audit_ids") + ",")
        assert ":backoffice.restore:" in ids.rsplit(",", 2)[-2]
        assert restored.pop("audit_auditentry") == original.pop("audit_auditentry") + 2
        assert restored == original
        assert (tmp_path / "new-media" / "loads" / "kept.csv").read_bytes() == (
            settings.MEDIA_ROOT / "loads" / "kept.csv"
        ).read_bytes()
        assert (tmp_path / "new-heads" / "audit-chain-heads.txt").read_text() == (
            settings.AUDIT_HEAD_DIR / "audit-chain-heads.txt"
        ).read_text()
        # The restored installation works as the restricted role: it appends, seals, verifies, and
        # its audit table still refuses changes.
        out = servers.run_python(
            "from django.db import connection\n"
            "from audit.services import record\nfrom audit.services.chain import seal\n"
            "from django.db import transaction\n"
            "with transaction.atomic():\n    record('test.after_restore')\n"
            "with connection.cursor() as c:\n"
            "    c.execute('SELECT current_user'); print('role', c.fetchone()[0])\n"
            "    try:\n"
            "        with transaction.atomic():\n"
            "            c.execute(\"UPDATE audit_auditentry SET action = 'x'\")\n"
            "        print('UPDATE allowed')\n"
            "    except Exception as exc:\n"
            "        print('UPDATE refused', type(exc).__name__)\n"
            "print('sealed', len(seal()))\n",
            env=env,
        )
        assert f"role {settings.AUDIT_APP_DB_ROLE}" in out and "UPDATE refused" in out, out
        verified = servers.manage("verify_audit", env=env)
        assert "audit chain verified OK" in verified.stdout
    finally:
        _drop_database(name)


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    env = servers.portal_env(MEDIA_ROOT=tmp_path / "m2", AUDIT_HEAD_DIR=tmp_path / "h2")
    result = servers.manage("restore", str(archive), env=env, check=False)
    assert result.returncode != 0 and "not empty" in result.stderr


def test_restore_refuses_a_damaged_archive(world, tmp_path):
    import tarfile

    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    from protection.encryption import files

    # someone holding the master key decrypts the archive, edits the heads file in it, re-encrypts it
    plain, edited, damaged = tmp_path / "plain.tar.gz", tmp_path / "edited.tar.gz", tmp_path / "damaged.tar.gz"
    files.decrypt_to(archive, plain)
    with tarfile.open(plain) as src, tarfile.open(edited, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("audit-heads/"):
                data = data.replace(b"\t", b"\t0", 1)
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with open(damaged, "wb") as out:
        writer = files.backup_writer(out)
        writer.write(edited.read_bytes())
        writer.close()
    name = _new_database()
    try:
        env = servers.portal_env(
            DATABASE_URL=servers.database_url(name), MEDIA_ROOT=tmp_path / "m3", AUDIT_HEAD_DIR=tmp_path / "h3"
        )
        result = servers.manage("restore", str(damaged), env=env, check=False)
        assert result.returncode != 0 and "damaged" in result.stderr
    finally:
        _drop_database(name)


def test_after_a_restore_into_a_new_cluster_new_entries_are_sealed(world, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    cluster = servers.PrivatePostgres()
    try:
        url = cluster.create_database("restored")
        env = servers.portal_env(DATABASE_URL=url, MEDIA_ROOT=tmp_path / "m4", AUDIT_HEAD_DIR=tmp_path / "h4")
        servers.manage("restore", str(archive), env=env)
        out = servers.run_python(
            "from django.db import transaction\nfrom audit.services import record\n"
            "from audit.services.chain import seal\nfrom audit.services.verification import verify_chain\n"
            "with transaction.atomic():\n    record('test.after_restore')\n"
            "seal()\n_v, report = verify_chain(trigger='command')\n"
            "print('unsealed', report.unsealed_entries, 'ok', report.ok)\n",
            env=env,
        )
        assert "unsealed 0 ok True" in out, out
    finally:
        cluster.close()


def test_the_archive_is_encrypted_and_a_tampered_one_is_refused_before_anything_is_written(world, tmp_path):
    """SECURITY.md "Encryption at rest": backups are encrypted under a per-backup data key wrapped by the
    master key; restore authenticates the whole file before it touches the database or the folders."""
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    raw = archive.read_bytes()
    officer = world["officer"]
    assert raw.startswith(b"PKB1") and officer.username.encode() not in raw and b"manifest.json" not in raw
    import tarfile

    with pytest.raises(tarfile.ReadError):
        tarfile.open(archive)  # not a tar.gz any more: ciphertext only
    tampered = tmp_path / "tampered.tar.gz"
    tampered.write_bytes(raw[: len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 1]) + raw[len(raw) // 2 + 1 :])
    name = _new_database()
    try:
        env = servers.portal_env(
            DATABASE_URL=servers.database_url(name), MEDIA_ROOT=tmp_path / "m5", AUDIT_HEAD_DIR=tmp_path / "h5"
        )
        result = servers.manage("restore", str(tampered), env=env, check=False)
        assert result.returncode != 0 and "integrity check" in result.stderr, result.stderr
        assert not (tmp_path / "m5").exists() and not (tmp_path / "h5").exists()
        empty = servers.run_python(
            "from backoffice.backup import database_is_empty\nprint(database_is_empty())", env=env
        )
        assert empty.strip().endswith("True")
        cut = tmp_path / "cut.tar.gz"
        cut.write_bytes(raw[:-100])
        assert "integrity check" in servers.manage("restore", str(cut), env=env, check=False).stderr
        other_key = tmp_path / "other.key"
        from protection.encryption import keys

        keys.generate_key_file(other_key)
        wrong = servers.manage(
            "restore", str(archive), check=False, env={**env, "ENCRYPTION_MASTER_KEY_FILE": str(other_key)}
        )
        assert wrong.returncode != 0 and "主密钥错误或缺失" in wrong.stderr, wrong.stderr
    finally:
        _drop_database(name)


def test_a_backup_and_a_restore_drill_are_recorded_where_the_self_check_reads_them(world, tmp_path):
    """Tongren art. 15(八) 应急演练, the city opinion 004: the self-check asks when the last backup and the
    last restore drill were; `backup` and `restore --drill` leave the entries it reads. The drill restores
    into a scratch database and folders, dropped afterwards; the live installation is untouched."""
    import datetime as dt

    from django.utils import timezone

    from audit.models import AuditEntry
    from audit.selectors_security import last_backup, last_restore_drill
    from secops.selfchecks.checks import Context, platform

    def backup_findings():
        return sorted(str(f.subject) for f in platform.backup(Context(now=timezone.now(), bureau_id=None)))

    assert backup_findings() == ["恢复演练", "数据备份"]  # nothing recorded yet
    archive = tmp_path / "portal-drill.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "backup.out", "w"))
    made = last_backup()
    assert made.action == "backoffice.backup" and made.outcome == "success"
    assert made.detail["archive"] == "portal-drill.tar.gz" and made.detail["size"] == archive.stat().st_size
    assert made.detail["media_files"] == 1 and made.detail["database_bytes"] > 0
    assert backup_findings() == ["恢复演练"]
    archived_entries = AuditEntry.objects.filter(pk__lt=made.pk).count()

    media_before = sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*"))
    out = tmp_path / "drill.out"
    call_command("restore", str(archive), "--drill", stdout=open(out, "w"))
    assert "restore drill passed" in out.read_text()
    drill = last_restore_drill()
    assert drill.action == "backoffice.restore_drill" and drill.pk > made.pk
    assert drill.detail["archive"] == "portal-drill.tar.gz"
    assert drill.detail["audit_entries"] == archived_entries  # every entry the dump held came back
    assert drill.detail["media_files"] == 1 and drill.detail["head_files"] >= 1
    assert dt.datetime.fromisoformat(drill.detail["backup_created_at"]) <= drill.occurred_at
    assert backup_findings() == []
    # the live installation is untouched and the scratch database is gone
    assert not AuditEntry.objects.filter(action="backoffice.restore").exists()
    assert sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*")) == media_before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{settings.DATABASES['default']['NAME']}_drill_%"],
        )
        assert cursor.fetchone()[0] == 0
    assert "restore_drill" not in settings.DATABASES


def test_a_failed_restore_drill_is_not_counted_as_a_drill(world, tmp_path):
    from django.core.management.base import CommandError

    from audit.selectors_security import last_restore_drill

    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(b"PKB1" + b"0" * 200)
    with pytest.raises(CommandError, match="restore drill failed"):
        call_command("restore", str(damaged), "--drill", stdout=open(tmp_path / "drill.out", "w"))
    assert last_restore_drill() is None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{settings.DATABASES['default']['NAME']}_drill_%"],
        )
        assert cursor.fetchone()[0] == 0
