"""Starting, waiting for and stopping child processes: the embedded servers and honcho run in their
own process group and die with dev.py; manage.py and pytest run in the foreground."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from devtools.common import ROOT, Fatal, check_stop, signals, warn

try:  # Linux: children get SIGTERM when dev.py dies, even by SIGKILL
    import ctypes

    _prctl = ctypes.CDLL(None, use_errno=True).prctl
    _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
except Exception:  # noqa: BLE001 - other systems: no prctl, children may outlive a killed dev.py
    _prctl = None
PR_SET_PDEATHSIG = 1


def _service_child_setup(parent_pid: int):
    def setup():
        os.setpgid(0, 0)  # own process group: the terminal's Ctrl-C reaches only dev.py
        if _prctl is not None:
            _prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent_pid:  # the parent died before prctl
                os._exit(1)

    return setup


def start_service(cmd: list[str], env: dict, **kwargs) -> subprocess.Popen:
    """Start a long-running child in its own process group, dying with dev.py."""
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, preexec_fn=_service_child_setup(os.getpid()), **kwargs
    )


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def proc_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def proc_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def is_dev_py(pid: int) -> bool:
    """Whether pid is a live dev.py (another run of this script)."""
    if pid == os.getpid():
        return True
    if not pid_alive(pid):
        return False
    if not Path("/proc").is_dir():
        return True
    return "dev.py" in proc_cmdline(pid)


def stop_processes(procs: list[tuple[str, subprocess.Popen]], timeout: float, quiet=False) -> None:
    """SIGTERM each live process, wait up to timeout (less after a second Ctrl-C), then SIGKILL
    its whole process group."""
    live = [(n, p) for n, p in procs if p.poll() is None]
    for _, p in live:
        try:
            p.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not signals.force and any(p.poll() is None for _, p in live):
        time.sleep(0.1)
    for name, p in live:
        if p.poll() is None:
            if not quiet:
                warn(f"{name} did not stop in time; killing it")
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                p.kill()
            p.wait()


def run_fg(cmd: list[str], env: dict, what: str, capture=False, interactive=False, check=True) -> tuple[int, list[str]]:
    """Run a command in the foreground (same terminal, same process group).

    The terminal's Ctrl-C reaches the child itself; a SIGTERM to dev.py is passed on. With
    capture=True its output is echoed line by line and also returned."""
    check_stop()
    lines: list[str] = []
    signals.ignore_sigint = interactive
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.STDOUT if capture else None,
        )
    except OSError as err:
        signals.ignore_sigint = False
        raise Fatal(f"could not start {what}: {err}") from None
    reader = None
    if capture:

        def pump():
            for raw in proc.stdout:
                line = raw.decode("utf-8", errors="replace")
                lines.append(line.rstrip("\n"))
                sys.stdout.write(line)
                sys.stdout.flush()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
    try:
        _wait_passing_stop(proc)
    finally:
        signals.ignore_sigint = False
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if reader is not None:
            reader.join(timeout=5)
    check_stop()
    if check and proc.returncode != 0:
        raise Fatal(f"{what} failed (exit code {proc.returncode})")
    return proc.returncode, lines


def _wait_passing_stop(proc: subprocess.Popen) -> None:
    """After a stop request: pass it on (a Ctrl-C from the terminal has reached the child already),
    then escalate while the child does not exit."""
    steps = None
    t0 = 0.0
    while proc.poll() is None:
        time.sleep(0.1)
        if signals.stop is None:
            continue
        if steps is None:
            t0 = time.monotonic()
            steps = [(10, signal.SIGINT), (20, signal.SIGTERM), (30, signal.SIGKILL)]
            if signals.stop != signal.SIGINT:
                proc.send_signal(signals.stop)
                steps = steps[1:]
        if steps and time.monotonic() - t0 > steps[0][0]:
            proc.send_signal(steps.pop(0)[1])
