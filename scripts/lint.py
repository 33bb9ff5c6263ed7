#!/usr/bin/env python3
"""The portal's static checks, as CI runs them (`python3 scripts/dev.py lint` runs this with .venv).

    .venv/bin/python scripts/lint.py            every check; exit 1 if any failed
    .venv/bin/python scripts/lint.py ruff mypy  only these (names below)

Checks, in this order (each runs even if an earlier one failed, so one run shows everything):
    ruff      ruff check: pyflakes, pycodestyle, bugbear, flake8-django, isort, pyupgrade... (pyproject.toml)
    format    ruff format --check: the code is as `ruff format` writes it (`ruff format FILE` fixes it)
    imports   lint-imports: the layers contract of docs/architecture.md ([tool.importlinter])
    private   scripts/check_private_imports.py: no module imports another module's _private names
    mypy      mypy with django-stubs on the services and selectors ([tool.mypy])

The tools are the ones installed in the Python that runs this file (requirements-dev.txt pins
them), so run it with the virtual environment's python; nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin/: ruff, lint-imports and mypy are installed there


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


CHECKS: dict[str, list[str]] = {
    "ruff": [_tool("ruff"), "check", "--no-fix", "."],
    "format": [_tool("ruff"), "format", "--check", "--output-format", "concise", "."],
    "imports": [_tool("lint-imports"), "--no-cache"],
    "private": [sys.executable, str(ROOT / "scripts" / "check_private_imports.py")],
    "mypy": [sys.executable, "-m", "mypy"],
}


def run(name: str) -> bool:
    command = CHECKS[name]
    print(f"==> lint {name}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}", flush=True)
    env = dict(os.environ)
    # mypy's Django plugin imports the settings; the test settings need no running service.
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    started = time.monotonic()
    try:
        rc = subprocess.run(command, cwd=ROOT, env=env).returncode
    except FileNotFoundError as err:
        print(f"    {name}: {err.filename} is not installed (requirements-dev.txt)", flush=True)
        rc = 127
    took = time.monotonic() - started
    print(f"    {name}: {'ok' if rc == 0 else f'FAILED (exit code {rc})'} in {took:.1f} s", flush=True)
    return rc == 0


def main(argv: list[str]) -> int:
    if any(arg in {"-h", "--help"} for arg in argv):
        print(__doc__)
        return 0
    unknown = [arg for arg in argv if arg not in CHECKS]
    if unknown:
        print(f"unknown check(s): {', '.join(unknown)}; the checks are: {', '.join(CHECKS)}", file=sys.stderr)
        return 2
    failed = [name for name in (argv or list(CHECKS)) if not run(name)]
    if failed:
        print(f"==> lint FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("==> lint: all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
