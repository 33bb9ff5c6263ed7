"""scripts/dev.py loaded as a module: bench/run.py makes the venv with it, bench/runner.py starts the
embedded PostgreSQL with it. Standard library only (run.py imports it before the venv exists)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_dev():
    spec = importlib.util.spec_from_file_location("portal_dev_py", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
