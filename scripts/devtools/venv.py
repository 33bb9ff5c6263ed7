"""The virtual environment: .venv made when missing or broken, requirements-dev.txt installed into it
once per change of the requirements files (a stamp holds their sha256)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

from devtools.common import (
    DEV_PY,
    REQUIREMENTS,
    ROOT,
    RUNTIME_REQUIREMENTS,
    STAMP,
    VENV,
    VENV_PY,
    Fatal,
    check_stop,
    say,
    warn,
)
from devtools.processes import run_fg


def venv_works() -> bool:
    if not VENV_PY.exists():
        return False
    try:
        return subprocess.run([str(VENV_PY), "-c", "import sys"], capture_output=True).returncode == 0
    except OSError:
        return False


def requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes() + RUNTIME_REQUIREMENTS.read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 10):  # noqa: UP036 - dev.py runs under whatever python3 the machine has
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
            raise Fatal(
                "this Python has no venv/ensurepip module. On Debian or Ubuntu: "
                "apt-get install python3-venv (or python3.11-venv), then try again"
            ) from None
        say(f"creating {VENV}")
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            raise Fatal("python -m venv failed (see above)")
        check_stop()

    digest = requirements_digest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    say("installing requirements-dev.txt into .venv (once per change of the requirements files)")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    run_fg([str(VENV_PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], env, "upgrading pip")
    run_fg([str(VENV_PY), "-m", "pip", "install", "-r", str(REQUIREMENTS)], env, "pip install -r requirements-dev.txt")
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
    """Run one of helpers.py's commands with the venv's python (through dev.py); it prints one JSON
    line last."""
    check_stop()
    proc = subprocess.run([str(VENV_PY), str(DEV_PY), *args], cwd=ROOT, stdout=subprocess.PIPE, env=venv_env(None))
    out = proc.stdout.decode(errors="replace").strip().splitlines()
    check_stop()
    if proc.returncode == 3:  # it printed its own error message
        raise Fatal("")
    if proc.returncode != 0 or not out:
        raise Fatal(f"helper {args[0]} failed (exit code {proc.returncode}); see the messages above")
    return json.loads(out[-1])
