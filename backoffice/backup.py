"""Backup and restore of a whole installation (SECURITY.md, backup and restore): the database, the uploaded files
(MEDIA_ROOT) and the audit chain heads kept outside the database (AUDIT_HEAD_DIR), in one archive.

The archive is a gzip'd tar:

    manifest.json        format, time, server and pg_dump versions, sha256 of each member
    database.dump        pg_dump --format=custom of the whole database (every schema: the datastore too)
    media/...            MEDIA_ROOT
    audit-heads/...      AUDIT_HEAD_DIR

The archive is encrypted (protection.encryption.files, SECURITY.md "Encryption at rest"): a new
data key per backup, carried in the file's header wrapped by the master key, so restoring needs
the same master key (or it listed in ENCRYPTION_PREVIOUS_MASTER_KEY_FILES). Restore decrypts and
authenticates the whole file, then checks every member's sha256, before it writes anything.

Restore goes into an empty installation: an empty database (no tables in any schema but the
system ones) and empty file folders. The dump is restored without owners and privileges
(`--no-owner --no-acl`, so it restores as whatever login role the new installation uses); the
audit tables keep their append-only triggers (pg_restore creates triggers after the data, so the
rows, their txids and the hash chain arrive unchanged), and the application's restricted role gets
its privileges again from audit.services.dbroles.sync_privileges, exactly as after migrate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = "portal-backup/1"
DUMP_NAME = "database.dump"
MEDIA_PREFIX = "media"
HEADS_PREFIX = "audit-heads"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


# ----------------------------------------------------------------------------------------------
# finding pg_dump / pg_restore of the right version
# ----------------------------------------------------------------------------------------------
def _candidate_dirs() -> list[Path]:
    dirs = []
    explicit = os.environ.get("PG_BIN_DIR") or getattr(settings, "BACKUP_PG_BIN_DIR", "")
    if explicit:
        dirs.append(Path(explicit))
    try:
        import pgserver  # the embedded server's own binaries (development, CI)

        dirs.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("pg_dump")
    if found:
        dirs.append(Path(found).parent)
    return dirs


def tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def find_tool(name: str, server_major: int) -> Path:
    """The `name` binary (pg_dump, pg_restore) of the lowest major version >= the server's.

    pg_dump refuses a server newer than itself; an older server is fine for a newer pg_dump.
    """
    seen = {}
    for folder in _candidate_dirs():
        path = folder / name
        if path.exists() and os.access(path, os.X_OK) and path.resolve() not in seen.values():
            major = tool_major(path)
            if major is not None:
                seen[(major, str(path))] = path.resolve()
    usable = sorted((major, p) for major, p in seen if major >= server_major)
    if not usable:
        versions = ", ".join(f"{p} ({m})" for m, p in sorted(seen)) or "none found"
        raise BackupError(f"no {name} of PostgreSQL {server_major} or newer ({versions}); install it or set PG_BIN_DIR")
    return Path(usable[0][1])


def server_major(using: str = "default") -> int:
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


# ----------------------------------------------------------------------------------------------
# connection arguments for the PostgreSQL client programs
# ----------------------------------------------------------------------------------------------
def _client_args(using: str = "default") -> tuple[list[str], dict]:
    db = connections[using].settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return args, env


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# ----------------------------------------------------------------------------------------------
# backup
# ----------------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    database_bytes: int
    media_files: int
    head_files: int


@contextlib.contextmanager
def _encrypted(raw):
    from protection.encryption import files

    writer = files.backup_writer(raw)
    yield writer
    writer.close()


def backup(target: Path, *, using: str = "default") -> BackupResult:
    """Write one archive with the database, the uploaded files and the audit heads to `target`.

    The database is dumped first (one consistent snapshot); files are copied afterwards, so a
    file uploaded during the backup may be in the archive without its row, never the reverse
    of a row without a file that existed when the dump began.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    major = server_major(using)
    pg_dump = find_tool("pg_dump", major)
    args, env = _client_args(using)
    name = connections[using].settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="portal-backup-", dir=target.parent) as work:
        dump = Path(work) / DUMP_NAME
        cmd = [str(pg_dump), *args, "--format=custom", "--no-password", "--file", str(dump), "--dbname", name]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
        media_root, head_dir = Path(settings.MEDIA_ROOT), Path(settings.AUDIT_HEAD_DIR)
        media, heads = _files_under(media_root), _files_under(head_dir)
        members = {DUMP_NAME: _sha256(dump)}
        partial = target.with_name(target.name + ".partial")
        with (
            open(partial, "wb") as raw,
            _encrypted(raw) as sealed,
            gzip.GzipFile(fileobj=sealed, mode="wb", compresslevel=6) as packed,
            tarfile.open(fileobj=packed, mode="w|") as tar,
        ):
            tar.add(dump, arcname=DUMP_NAME)
            for prefix, root, files in ((MEDIA_PREFIX, media_root, media), (HEADS_PREFIX, head_dir, heads)):
                for path in files:
                    arcname = f"{prefix}/{path.relative_to(root).as_posix()}"
                    members[arcname] = _sha256(path)
                    tar.add(path, arcname=arcname, recursive=False)
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database": name,
                "server_major": major,
                "pg_dump": str(pg_dump),
                "pg_dump_major": tool_major(pg_dump),
                "members": members,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(body), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
        os.replace(partial, target)  # a crash leaves a .partial file, never a truncated archive
        result = BackupResult(
            path=target, database_bytes=dump.stat().st_size, media_files=len(media), head_files=len(heads)
        )
    _record(
        "backoffice.backup",
        using=using,
        detail={
            "archive": target.name,
            "size": target.stat().st_size,
            "database_bytes": result.database_bytes,
            "media_files": result.media_files,
            "head_files": result.head_files,
        },
    )
    return result


def _record(action: str, *, using: str, detail: dict) -> None:
    """The audit entry of a backup, a restore or a restore drill (the self-check's backup item reads
    them: audit.selectors_security.last_backup / last_restore_drill). The audit log lives in the
    default database: an operation on another alias (a drill's scratch database) is recorded there."""
    from audit.services import record

    if using != "default":
        return
    record(action, target=("backoffice.backup", detail.get("archive", ""), detail.get("archive", "")), detail=detail)


# ----------------------------------------------------------------------------------------------
# restore
# ----------------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    media_files: int
    head_files: int
    privileges_synced: bool
    backup_created_at: str = ""


def database_is_empty(using: str = "default") -> bool:
    """No table, sequence or view outside the system schemas."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
        )
        return cursor.fetchone()[0] == 0


def _folder_is_empty(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("not a portal backup: manifest.json is missing") from None
    manifest = json.load(tar.extractfile(member))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _ensure_app_role(using: str) -> None:
    """The application's role is cluster-wide: a new cluster lacks it, and the restored migration
    history says 0004 already ran. Create it the way that migration does."""
    import importlib

    from audit.services import dbroles

    role = dbroles.app_role()
    if not role:
        return
    migration = importlib.import_module("audit.migrations.0004_application_role")
    with connections[using].cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(migration.CREATE_ROLE.format(role=role))
    dbroles.use_app_role(connections[using])


def _decrypted(archive: Path, work: str, allow_unencrypted: bool) -> Path:
    """The archive's plaintext in work, authenticated whole (BackupError if it does not open)."""
    from protection.encryption import files, keys

    if not files.is_backup(archive):
        if allow_unencrypted:
            return archive
        raise BackupError(
            "not an encrypted portal backup (an archive of an older version: restore it with --unencrypted)"
        )
    plain = Path(work) / "archive.tar.gz"
    try:
        files.decrypt_to(archive, plain)
    except keys.MasterKeyError as exc:
        raise BackupError(f"the backup's key cannot be unwrapped: {exc}") from None
    except keys.TamperedError:
        raise BackupError(
            "the backup failed its integrity check (altered, cut short or damaged): nothing restored"
        ) from None
    return plain


def restore(
    archive: Path,
    *,
    using: str = "default",
    force_files: bool = False,
    allow_unencrypted: bool = False,
    media_root: Path | None = None,
    head_dir: Path | None = None,
) -> RestoreResult:
    """Restore an archive made by backup() into an empty installation (by default this one's
    database and folders; a restore drill gives a scratch database alias and scratch folders).
    A real restore is recorded as backoffice.restore in the restored installation's audit log."""
    from audit.services import dbroles

    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    if not database_is_empty(using):
        raise BackupError(
            "the database is not empty: restore only into an empty installation (a new database, before migrate)"
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    head_dir = Path(head_dir or settings.AUDIT_HEAD_DIR)
    if not force_files and not (_folder_is_empty(media_root) and _folder_is_empty(head_dir)):
        raise BackupError(f"{media_root} or {head_dir} is not empty: restore only into an empty installation")
    major = server_major(using)
    with (
        tempfile.TemporaryDirectory(prefix="portal-restore-") as work,
        tarfile.open(_decrypted(archive, work, allow_unencrypted), "r:*") as tar,
    ):
        manifest = read_manifest(tar)
        members = manifest.get("members", {})
        for name in members:
            if not _safe_member(name):
                raise BackupError(f"refusing archive member {name!r}")
        tar.extractall(work, members=[m for m in tar.getmembers() if m.name in members and m.isfile()], filter="data")
        root = Path(work)
        for name, digest in members.items():
            path = root / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"archive member {name} is missing or damaged (sha256 differs)")
        need = max(major, int(manifest.get("pg_dump_major") or 0))
        pg_restore = find_tool("pg_restore", need)
        args, env = _client_args(using)
        selection = _without_unavailable_extensions(pg_restore, root / DUMP_NAME, root, using)
        connections[using].close()  # pg_restore works alone on the database
        cmd = [
            str(pg_restore),
            *args,
            *(["--use-list", str(selection)] if selection else []),
            "--no-password",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connections[using].settings_dict["NAME"],
            str(root / DUMP_NAME),
        ]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
        counts = {}
        for prefix, target in ((MEDIA_PREFIX, media_root), (HEADS_PREFIX, head_dir)):
            counts[prefix] = 0
            source = root / prefix
            for path in _files_under(source):
                dest = target / path.relative_to(source)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
                counts[prefix] += 1
    _ensure_app_role(using)
    synced = dbroles.sync_privileges(using)
    result = RestoreResult(
        media_files=counts[MEDIA_PREFIX],
        head_files=counts[HEADS_PREFIX],
        privileges_synced=synced,
        backup_created_at=str(manifest.get("created_at", "")),
    )
    _record(
        "backoffice.restore",
        using=using,
        detail={
            "archive": archive.name,
            "backup_created_at": result.backup_created_at,
            "media_files": result.media_files,
            "head_files": result.head_files,
        },
    )
    return result


# ----------------------------------------------------------------------------------------------
# restore drill
# ----------------------------------------------------------------------------------------------
# Extensions the portal uses only where the server has them, with the objects made only then (catalog
# migration 0006, openness 0004): the embedded pgserver build ships no contrib extensions, so a backup
# of a full PostgreSQL restores onto it without them (openness.search compares trigrams in Python).
OPTIONAL_EXTENSIONS = {"pg_trgm": ("openness_version_title_trgm",)}


def _without_unavailable_extensions(pg_restore: Path, dump: Path, folder: Path, using: str) -> Path | None:
    """A pg_restore --use-list leaving out the optional extensions this server lacks and what depends on
    them; None when nothing is left out (the whole dump is restored)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT name FROM pg_available_extensions")
        available = {row[0] for row in cursor.fetchall()}
    missing = [name for name in OPTIONAL_EXTENSIONS if name not in available]
    if not missing:
        return None
    listing = subprocess.run([str(pg_restore), "--list", str(dump)], capture_output=True, text=True, check=True)

    def left_out(line: str) -> bool:
        words = line.split(";", 1)[-1].split()
        return any(
            ("EXTENSION" in words and name in words)
            or ("INDEX" in words and set(OPTIONAL_EXTENSIONS[name]) & set(words))
            for name in missing
        )

    selection = folder / "restore.list"
    selection.write_text("\n".join(line for line in listing.stdout.splitlines() if not left_out(line)) + "\n")
    return selection


DRILL_ALIAS = "restore_drill"


@dataclass
class DrillResult:
    database: str
    audit_entries: int
    media_files: int
    head_files: int
    backup_created_at: str
    seconds: float


def _as_login_role(sql_text: str) -> None:
    """CREATE / DROP DATABASE: the login role's, not the application's restricted role (SECURITY.md
    14.18); outside any transaction."""
    from audit.services import dbroles

    with connections["default"].cursor() as cursor:
        cursor.execute("RESET ROLE")
        try:
            cursor.execute(sql_text)
        finally:
            dbroles.use_app_role(connections["default"])


def restore_drill(archive: Path, *, allow_unencrypted: bool = False) -> DrillResult:
    """The restore drill (铜仁 art. 15(八) 应急演练; the half-yearly self-check asks when the last one
    was): restore the archive into a new scratch database on this installation's server and scratch
    folders, count what came back, drop them again, and record backoffice.restore_drill in this
    installation's audit log. The live database and folders are never touched."""
    import time
    import uuid

    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    live = settings.DATABASES["default"]
    name = f"{live['NAME']}_drill_{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    try:
        _as_login_role(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        raise BackupError(f"cannot create the drill database {name}: {exc}") from exc
    # the scratch database's own connection, registered under DRILL_ALIAS for restore(using=...) but
    # never added to settings.DATABASES: nothing else of the installation can reach it
    connections[DRILL_ALIAS] = connections["default"].__class__({**live, "NAME": name}, DRILL_ALIAS)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-drill-") as scratch:
            done = restore(
                archive,
                using=DRILL_ALIAS,
                allow_unencrypted=allow_unencrypted,
                media_root=Path(scratch) / "media",
                head_dir=Path(scratch) / "heads",
            )
            with connections[DRILL_ALIAS].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM audit_auditentry")
                entries = cursor.fetchone()[0]
    finally:
        connections[DRILL_ALIAS].close()
        del connections[DRILL_ALIAS]
        _as_login_role(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = DrillResult(
        database=name,
        audit_entries=entries,
        media_files=done.media_files,
        head_files=done.head_files,
        backup_created_at=done.backup_created_at,
        seconds=round(time.monotonic() - started, 1),
    )
    _record(
        "backoffice.restore_drill",
        using="default",
        detail={
            "archive": archive.name,
            "backup_created_at": result.backup_created_at,
            "audit_entries": result.audit_entries,
            "media_files": result.media_files,
            "head_files": result.head_files,
            "seconds": result.seconds,
        },
    )
    return result
