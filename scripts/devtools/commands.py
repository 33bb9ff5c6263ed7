"""The commands of scripts/dev.py. `run` prepares the database (migrations, static files, demo data)
and hands web, worker and beat to honcho with the Procfile; the others run one program in the
foreground with the same environment."""

from __future__ import annotations

import http.client
import os
import sys

from devtools.common import (
    LOCAL_SETTINGS,
    PROCFILE,
    ROOT,
    TEST_SETTINGS,
    VENV,
    VENV_PY,
    Fatal,
    announce_stop,
    check_stop,
    say,
    signals,
    sleep,
)
from devtools.processes import run_fg, start_service, stop_processes
from devtools.redis_service import port_free
from devtools.services import Services
from devtools.venv import ensure_venv, venv_env

LINT_SCRIPT = ROOT / "scripts" / "lint.py"


def need_manage_py() -> None:
    if not (ROOT / "manage.py").exists():
        raise Fatal(f"{ROOT / 'manage.py'} not found")


def manage(env: dict, *args: str, capture=False) -> list[str]:
    return run_fg([str(VENV_PY), "manage.py", *args], env, f"manage.py {' '.join(args)}", capture=capture)[1]


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


def cmd_run(services: Services) -> int:
    port = int(os.environ.get("PORT") or 8000)
    if not port_free(port):
        raise Fatal(
            f"port {port} on 127.0.0.1 is in use (is another `dev.py run` going?); "
            "stop that or choose another with PORT=..."
        )
    need_manage_py()
    ensure_venv()
    services.start_postgres()
    services.start_redis(persistent=True)
    env = venv_env(LOCAL_SETTINGS)
    env.update(services.env)
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"  # gunicorn.conf.py: the container's 0.0.0.0:8000 otherwise

    manage(env, "compiletranslations")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    seed_output = manage(env, "seed_demo", capture=True)

    # --env os.devnull: a .env beside docker-compose.yml holds the production stack's secrets, not ours
    cmd = [
        str(VENV / "bin" / "honcho"),
        "start",
        "--procfile",
        str(PROCFILE),
        "--app-root",
        str(ROOT),
        "--env",
        os.devnull,
        "--port",
        str(port),
    ]
    if not sys.stdout.isatty():
        cmd.append("--no-colour")
    honcho = None
    try:
        check_stop()
        honcho = start_service(cmd, env)  # its output (prefixed web.1 | ...) goes straight to ours
        url = f"http://127.0.0.1:{port}/"
        waited = 0.0
        while not http_answers(port):
            _check_running(honcho, services)
            if waited > 90:
                say(f"{url} did not answer within 90 s; still waiting on the processes")
                break
            sleep(0.5)
            waited += 0.5
        banner(url, seed_output)
        while True:
            _check_running(honcho, services)
            sleep(0.5)
    except Fatal as err:  # say what happened before the shutdown messages
        if str(err):
            print(f"[dev.py] error: {err}", file=sys.stderr, flush=True)
        raise Fatal("") from None
    finally:
        signals.shutting_down = True
        announce_stop()
        if honcho is not None:
            say("stopping web, worker and beat")
            # honcho gives its processes 5 s after SIGTERM, then kills them
            stop_processes([("honcho", honcho)], timeout=25)


def _check_running(honcho, services: Services) -> None:
    if honcho.poll() is not None:
        raise Fatal(
            f"web, worker or beat exited unexpectedly (honcho's exit code {honcho.returncode}; "
            "its output above names the process); stopping the rest"
        )
    services.check_alive()


def banner(url: str, seed_output: list[str]) -> None:
    line = "=" * 72
    text = [line, f"  The portal is running at  {url}", ""]
    signins = [s for s in seed_output if s.strip()][-30:]
    if signins:
        text.append("  Demo data (from seed_demo):")
        text += [f"    {s}" for s in signins]
        text.append("")
    text += ["  Ctrl-C stops web, worker, beat and the embedded services.", line]
    sys.stdout.write("\n".join(text) + "\n")  # one write: honcho's lines do not cut into it
    sys.stdout.flush()


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
    rc, _ = run_fg([str(VENV_PY), "manage.py", *args], env, "manage.py", check=False, interactive=interactive)
    return rc


def cmd_services(services: Services) -> int:
    ensure_venv()
    services.start_postgres()
    services.start_redis(persistent=True)
    print("\n".join(f"export {k}='{v}'" for k, v in services.env.items()), flush=True)
    say("services are up; Ctrl-C stops them")
    while True:
        services.check_alive()
        sleep(0.5)


def cmd_lint(args: list[str]) -> int:
    """scripts/lint.py (ruff, the import contracts, mypy) with the venv's tools; no services."""
    ensure_venv()
    if not LINT_SCRIPT.exists():
        raise Fatal(f"{LINT_SCRIPT.relative_to(ROOT)} not found: this checkout has no lint step yet")
    rc, _ = run_fg([str(VENV_PY), str(LINT_SCRIPT), *args], venv_env(None), "lint", check=False)
    return rc


__all__ = ["cmd_lint", "cmd_manage", "cmd_run", "cmd_services", "cmd_test"]
