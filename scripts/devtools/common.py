"""Paths, messages, errors and the signal flags that every part of dev.py reads."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
DEV_PY = ROOT / "scripts" / "dev.py"
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
PROCFILE = ROOT / "Procfile"

LOCAL_SETTINGS = "config.settings.local"
TEST_SETTINGS = "config.settings.test"


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


# --- signals: the handler only records; the code checks at safe points ----------------------
class _Signals:
    stop: int | None = None  # the signal that asked us to stop
    force = False  # a second signal while stopping: kill instead of waiting
    shutting_down = False
    ignore_sigint = False  # while an interactive child (manage.py shell) owns the terminal
    announced = False


signals = _Signals()


def _on_signal(signum, _frame):
    if signum == signal.SIGINT and signals.ignore_sigint:
        return
    if signals.shutting_down:
        if not signals.force:
            signals.force = True
            try:
                os.write(2, b"[dev.py] second signal: killing instead of waiting\n")
            except OSError:
                pass
        return
    if signals.stop is None:
        signals.stop = signum


def install_signal_handlers() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)


def announce_stop() -> None:
    if signals.stop is not None and not signals.announced:
        signals.announced = True
        say(f"{signal.Signals(signals.stop).name} received; stopping")


def check_stop() -> None:
    if signals.stop is not None and not signals.shutting_down:
        raise Interrupted(signals.stop)


def sleep(seconds: float) -> None:
    """Sleep in small steps so a signal is noticed quickly."""
    end = time.monotonic() + seconds
    while True:
        check_stop()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.1))
