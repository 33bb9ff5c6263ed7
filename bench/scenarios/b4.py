"""B4: the audit overhead on B3 (measured together with B3, see bench/scenarios/b3.py)."""

from bench.scenarios.b3 import TITLE_B4 as TITLE  # noqa: F401
from bench.scenarios.b3 import run_b4 as run  # noqa: F401
