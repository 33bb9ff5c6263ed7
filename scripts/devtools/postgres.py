"""PostgreSQL: DATABASE_URL as it is (its database created when missing), or the embedded server
(pgserver) from .data/pg, shared by every dev.py that runs at the same time and stopped by the last
one to finish (.data/pg.users counts them, under .data/pg.lock)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from urllib.parse import quote

from devtools.common import DATA, DB_NAME, PGDATA, ROOT, mask, say, signals, warn
from devtools.processes import is_dev_py, pid_alive
from devtools.venv import helper


class _Lock:
    def __enter__(self):
        self.fd = os.open(DATA / "pg.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _users() -> list[int]:
    try:
        users = json.loads((DATA / "pg.users").read_text())
    except (OSError, ValueError):
        users = []
    return [p for p in users if isinstance(p, int) and is_dev_py(p)]


def _write_users(users: list[int]) -> None:
    (DATA / "pg.users").write_text(json.dumps(sorted(set(users))))


class Postgres:
    def __init__(self):
        self.info: dict | None = None  # helper output when the embedded PostgreSQL is ours to share
        self.quiet = False

    def start(self) -> str:
        """Start or join the server; its DATABASE_URL."""
        url = os.environ.get("DATABASE_URL")
        if url:
            info = helper("_ensure-db")  # reads DATABASE_URL from the environment
            if info.get("created"):
                say(f"created database {info['database']!r}")
            say(f"PostgreSQL: {mask(url)} (from DATABASE_URL)")
            return url
        DATA.mkdir(exist_ok=True)
        with _Lock():
            users = _users()
            users.append(os.getpid())
            _write_users(users)
            self.info = {}  # registered: stop() must unregister even if the start fails
            self.info = helper("_pg-start", str(PGDATA), DB_NAME)
        host = quote(self.info["socket_dir"], safe="")
        port = "" if int(self.info["port"]) == 5432 else f":{self.info['port']}"
        say(f"PostgreSQL: embedded, data in {PGDATA.relative_to(ROOT)}, socket in {self.info['socket_dir']}")
        return f"postgres://postgres@{host}{port}/{DB_NAME}"

    def alive(self) -> bool:
        return not self.info or not self.info.get("pid") or pid_alive(int(self.info["pid"]))

    def stop(self) -> None:
        if self.info is None:
            return
        with _Lock():
            users = [p for p in _users() if p != os.getpid()]
            _write_users(users)
            if users:
                if not self.quiet:
                    say(f"leaving the embedded PostgreSQL running for dev.py pid {users}")
                self.info = None
                return
            pg_ctl = self.info.get("pg_ctl") or helper("_paths")["pg_ctl"]
            user = (self.info.get("system_user") or "pgserver") if os.geteuid() == 0 else None
            try:
                pid = int((PGDATA / "postmaster.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pid = None
            if pid is None or not pid_alive(pid):  # not running (the next start clears the file)
                self.info = None
                return
            if not self.quiet:
                say("stopping PostgreSQL")
            mode = "immediate" if signals.force else "fast"
            proc = subprocess.run(
                [pg_ctl, "-D", str(PGDATA), "-m", mode, "-w", "-t", "60", "stop"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                user=user,
            )
            if proc.returncode != 0 and (PGDATA / "postmaster.pid").exists():
                warn("pg_ctl stop failed:\n" + proc.stdout.decode(errors="replace"))
            self.info = None
