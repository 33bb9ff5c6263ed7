"""What the scenarios share: results, timing, a closed-loop HTTP load generator, gunicorn and
Celery processes, signed-in sessions, psql."""

from __future__ import annotations

import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_NAME (default "bench") names everything a run owns: database portal_<name>, Redis key prefix and
# Celery queue <name>, files under .data/<name>; two runs with different names do not meet.
NAME = os.environ.get("BENCH_NAME", "bench")
QUEUE = NAME
WORK = ROOT / ".data" / NAME


def say(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# results


@dataclass
class Result:
    """One scenario's line: id, figure, baseline, ratio, target, met (None: not measured)."""

    id: str
    title: str
    figure: str = ""
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    status: str = ""  # "not yet: app missing", "failed: ...": instead of figures
    details: list[str] = field(default_factory=list)  # extra lines for bench/README.md
    seconds: float = 0.0

    def line(self) -> str:
        if self.status:
            return f"{self.id} | {self.title} | {self.status}"
        verdict = "MET" if self.met else "NOT MET"
        return (
            f"{self.id} | {self.title} | {self.figure} | baseline {self.baseline} | ratio {self.ratio} | "
            f"target {self.target} | {verdict}"
        )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_rate(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


# ---------------------------------------------------------------------------------------------
# closed-loop HTTP load: N clients, each with one keep-alive connection, one request after another


@dataclass
class LoadStats:
    count: int
    errors: int
    seconds: float
    latencies: list[float]
    error_samples: list[str]

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)

    def summary(self) -> str:
        return (
            f"{self.count} requests, {self.errors} errors, {self.rps:.1f} req/s, p50 {ms(self.p(50))}, "
            f"p95 {ms(self.p(95))}, p99 {ms(self.p(99))}, max {ms(max(self.latencies) if self.latencies else 0)}"
        )


Request = tuple[str, str, dict, bytes | None]  # method, path, headers, body


def http_load(
    port: int,
    request_for: Callable[[int, int], Request],
    *,
    clients: int,
    seconds: float,
    warmup: float = 2.0,
    check: Callable[[int, bytes], bool] | None = None,
) -> LoadStats:
    """Run `clients` threads for warmup + seconds; only requests started after the warm-up count.

    request_for(client, n) gives the n-th request of a client. A response counts as an error when
    its status is not 200 (or check(status, body) is false)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    samples: list[str] = []
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    def client(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        n = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            method, path, headers, body = request_for(index, n)
            n += 1
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200 and (check is None or check(resp.status, data))
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok, status, data = False, 0, repr(exc).encode()
            t1 = time.perf_counter()
            if t0 >= measure_from:
                latencies[index].append(t1 - t0)
                if not ok:
                    errors[index] += 1
                    if len(samples) < 5:
                        samples.append(f"{method} {path} -> {status}: {data[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [x for lat in latencies for x in lat]
    return LoadStats(count=len(flat), errors=sum(errors), seconds=seconds, latencies=flat, error_samples=samples)


def closed_loop(
    work: Callable[[int, int], None],
    *,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
    setup: Callable[[int], object] | None = None,
) -> LoadStats:
    """The same closed loop for a callable (e.g. raw SQL on its own connection per client)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    measure_from, errors_seen = start + warmup, []
    stop_at = measure_from + seconds

    def client(index: int):
        n = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            try:
                work(index, n)
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors_seen.append(repr(exc))
            n += 1
            t1 = time.perf_counter()
            if t0 >= measure_from:
                latencies[index].append(t1 - t0)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [x for lat in latencies for x in lat]
    return LoadStats(
        count=len(flat), errors=len(errors_seen), seconds=seconds, latencies=flat, error_samples=errors_seen[:5]
    )


# ---------------------------------------------------------------------------------------------
# processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_setup():
    parent = os.getpid()

    def setup():
        os.setpgid(0, 0)
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001
            pass
        if os.getppid() != parent:
            os._exit(1)

    return setup


def start_child(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A long-running child in its own process group that dies with us; output to log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab")
    try:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_child_setup(),
        )
    finally:
        out.close()


def stop_child(proc: subprocess.Popen | None, timeout: float = 30) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait()
    except ProcessLookupError:
        pass


class Web:
    """gunicorn as in production: gthread workers (2 x 8 threads unless told otherwise)."""

    def __init__(self, env: dict, *, name: str = "web", workers: int = 2, threads: int = 8, extra_env=None):
        self.env = dict(env, **(extra_env or {}))
        self.name, self.workers, self.threads = name, workers, threads
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-k",
            "gthread",
            "--threads",
            str(self.threads),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--no-control-socket",
        ]
        self.proc = start_child(cmd, self.env, WORK / "logs" / f"{self.name}.log")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.proc.returncode}); see {WORK / 'logs' / (self.name + '.log')}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    # every worker imports lazily: warm each of them up
                    for _ in range(self.workers * 4):
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                        conn.request("GET", "/accounts/login/")
                        conn.getresponse().read()
                        conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def stop(self):
        stop_child(self.proc)
        self.proc = None

    def worker_pids(self) -> list[int]:
        import psutil

        if self.proc is None:
            return []
        return [c.pid for c in psutil.Process(self.proc.pid).children()]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 120) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# sign-ins without the password hasher: a session row (browser) or a token (API)


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # SECURITY.md 14.15: a session of a city-wide role has passed the second factor with a real device (as
    # django_otp.login records it), or every page it asks for would be a redirect to the second step.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from config.middleware import SIGNED_IN_AT

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[SIGNED_IN_AT] = int(time.time())
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def api_token(user) -> str:
    """A key for `Authorization: Token <key>`: the portal's hashed tokens, or DRF's authtoken."""
    try:
        from accounts.services.tokens import token_issue
    except ImportError:
        from rest_framework.authtoken.models import Token

        return Token.objects.get_or_create(user=user)[0].key
    return token_issue(actor=user, name="bench")[1]


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))


def median(values):
    return statistics.median(values)
