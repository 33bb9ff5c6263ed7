"""The ways of starting the portal share one gunicorn configuration and one Procfile (docs/running.md):
the Dockerfile's CMD, docker-compose's web service and the Procfile's web process (what
`scripts/dev.py run` hands to honcho) all run `gunicorn -c gunicorn.conf.py`, so a worker count or a
timeout is changed in one place. And scripts/dev.py's parts stay small and importable before .venv
exists (the standard library only)."""

from __future__ import annotations

import ast
import json
import re
import runpy
import sys
from pathlib import Path

import pytest
from gunicorn.config import Config
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[2]
SERVE = "gunicorn -c gunicorn.conf.py config.wsgi:application"


def _gunicorn_config(monkeypatch, **env) -> Config:
    """gunicorn's settings as gunicorn itself reads gunicorn.conf.py."""
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_the_dockerfile_compose_and_the_procfile_serve_with_gunicorn_conf():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    compose = (ROOT / "docker-compose.yml").read_text()
    web = parse_procfile((ROOT / "Procfile").read_text()).processes["web"]
    assert " ".join(cmd) == SERVE
    assert f"exec {SERVE}" in compose
    assert web == SERVE


def test_no_gunicorn_option_is_written_beside_the_config_file():
    """A `--workers` or `-k` beside `-c gunicorn.conf.py` would win over the file in that place only."""
    texts = {name: (ROOT / name).read_text() for name in ("Dockerfile", "docker-compose.yml", "Procfile")}
    for name, text in texts.items():
        for option in ("--workers", "--threads", "-k ", "--timeout", "--bind", '"-k"'):
            assert option not in text, f"{name} sets gunicorn's {option.strip()} itself"


def test_gunicorn_conf_gives_the_production_layout(monkeypatch):
    config = _gunicorn_config(monkeypatch)
    assert config.worker_class_str == "gthread"
    assert (config.workers, config.threads, config.timeout) == (2, 8, 120)
    assert config.bind == ["0.0.0.0:8000"]
    assert config.control_socket_disable is True  # several gunicorns of one account share no socket
    assert config.accesslog == "-"


def test_dev_py_chooses_only_the_address(monkeypatch):
    config = _gunicorn_config(monkeypatch, GUNICORN_BIND="127.0.0.1:8123")
    assert config.bind == ["127.0.0.1:8123"]
    assert (config.workers, config.threads) == (2, 8)


def test_the_procfile_runs_web_worker_and_beat_of_the_config_celery_app():
    processes = parse_procfile((ROOT / "Procfile").read_text()).processes
    assert list(processes) == ["web", "worker", "beat"]
    assert processes["worker"].startswith("celery -A config worker ")
    assert processes["beat"].startswith("celery -A config beat ")
    assert "--scheduler config.beat:RegistryScheduler" in processes["beat"]


DEVTOOLS = sorted((ROOT / "scripts" / "devtools").glob("*.py"))


@pytest.mark.parametrize("path", [*DEVTOOLS, ROOT / "scripts" / "dev.py"], ids=lambda p: p.name)
def test_dev_py_parts_stay_small(path):
    assert len(path.read_text().splitlines()) < 300


@pytest.mark.parametrize("path", [p for p in DEVTOOLS if p.name != "helpers.py"], ids=lambda p: p.name)
def test_dev_py_parts_import_only_the_standard_library_at_top_level(path):
    """They run under the machine's python3 before .venv exists (helpers.py runs inside it)."""
    tree = ast.parse(path.read_text())
    names = [alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 0]
    outside = [n for n in names if n.split(".")[0] not in sys.stdlib_module_names | {"devtools", "__future__"}]
    assert not outside


def test_a_database_url_with_a_socket_folder_is_read_as_psycopg2_keywords():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from devtools.common import mask
        from devtools.helpers import conninfo
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert conninfo("postgres://postgres@%2Fwork%2F.data%2Fpg:5433/portal") == (
        "portal",
        {"host": "/work/.data/pg", "port": "5433", "user": "postgres"},
    )
    assert conninfo("postgresql://app:s%40cret@[::1]:5432/portal_h5?sslmode=disable") == (
        "portal_h5",
        {"host": "::1", "port": "5432", "user": "app", "password": "s@cret", "sslmode": "disable"},
    )
    assert mask("redis://:secret@redis:6379/0") == "redis://:***@redis:6379/0"


def test_dev_py_keeps_what_the_benchmarks_use():
    """bench/run.py makes .venv with dev.py's code and bench/runner.py starts its services with it."""
    from bench.dev_loader import load_dev

    dev = load_dev()
    for name in ("ensure_venv", "Fatal", "mask", "free_port", "redis_ping", "_conninfo"):
        assert callable(getattr(dev, name)), name
    assert dev._conninfo("postgres://postgres@127.0.0.1:5432/portal")[0] == "portal"
