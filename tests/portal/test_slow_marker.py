"""`pytest -m "not slow"` is the quick loop (tests/slow.py gives the marker by rule)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two collections of the suite in subprocesses: about half a minute

ROOT = Path(__file__).resolve().parents[2]
PATHS = ["tests/browser/test_journeys.py", "tests/audit/test_coverage.py", "tests/portal/test_workdays.py"]


def _collected(marks: str) -> set[str]:
    """The test functions (without parameters) collected from PATHS under `-m marks`."""
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", marks, *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.returncode in (0, 5), out.stdout[-2000:] + out.stderr[-2000:]
    return {line.split("[")[0] for line in out.stdout.splitlines() if "::" in line}


def test_browser_journeys_and_long_walks_are_slow_and_the_rest_is_not():
    walk = "tests/audit/test_coverage.py::test_every_state_changing_call_leaves_an_entry"  # timeout(900)
    slow, quick = _collected("slow"), _collected("not slow")
    assert walk in slow and walk not in quick
    assert any(t.startswith("tests/browser/test_journeys.py::") for t in slow)
    assert not any(t.startswith("tests/browser/") for t in quick)
    assert any(t.startswith("tests/portal/test_workdays.py::") for t in quick)
    assert not any(t.startswith("tests/portal/test_workdays.py::") for t in slow)
