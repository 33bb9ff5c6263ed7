#!/usr/bin/env python3
"""Benchmarks of the portal (bench/README.md): each figure as a ratio against a baseline measured in the
same run on the same machine.

    python3 bench/run.py                 every scenario (B1-B8), about 15 minutes on 2 cores
    python3 bench/run.py --only B2,B6    some of them
    python3 bench/run.py --no-readme     do not rewrite bench/README.md's figures

Needs only Python 3.11 and git, like scripts/dev.py (whose helpers it uses): .venv is made by
dev.py's own code when missing, requirements-bench.txt is installed into it, then this script
runs again with the venv's python. With DATABASE_URL / REDIS_URL set those servers are used;
otherwise dev.py starts the embedded PostgreSQL and this script a throw-away Redis. Benchmarks
use their own database (portal_bench, dropped and made again at each run), their own Redis key
prefix and Celery queue ("bench"), their own gunicorn and Celery worker on free ports, and write
their files under .data/bench. Never run in CI; no test asserts a time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the bench package is found from the checkout
from bench.dev_loader import load_dev  # noqa: E402  (standard library only, as this script before the venv)

VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
BENCH_REQUIREMENTS = ROOT / "requirements-bench.txt"
BENCH_STAMP = VENV / ".bench-requirements.sha256"


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _bootstrap() -> None:
    """Outside .venv: make it (dev.py's own code), add the bench tools, run again inside it."""
    dev = load_dev()
    try:
        dev.ensure_venv()
    except dev.Fatal as err:
        print(f"[bench] error: {err}", file=sys.stderr)
        sys.exit(1)
    files = [BENCH_REQUIREMENTS, ROOT / "requirements-dev.txt", ROOT / "requirements.txt"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    if not (BENCH_STAMP.exists() and BENCH_STAMP.read_text().strip() == digest):
        print("[bench] installing requirements-bench.txt into .venv", flush=True)
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        proc = subprocess.run([str(VENV_PY), "-m", "pip", "install", "--quiet", "-r", str(BENCH_REQUIREMENTS)], env=env)
        if proc.returncode != 0:
            print("[bench] error: pip install -r requirements-bench.txt failed", file=sys.stderr)
            sys.exit(1)
        BENCH_STAMP.write_text(digest + "\n")
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    os.execve(str(VENV_PY), [str(VENV_PY), str(Path(__file__).resolve()), *sys.argv[1:]], env)


if __name__ == "__main__":
    if not _in_venv():
        _bootstrap()
    from bench.runner import main

    sys.exit(main(sys.argv[1:]))
