"""The matrix covers the URL configuration: every route has its rows in exactly one area's table
(a route without a row fails `test_every_route_has_a_row`, naming it), every row names a route, and
the known defects of every table still fail."""

from __future__ import annotations

import pytest

from tests.security.matrix import builder
from tests.security.matrix.outcomes import Callers
from tests.security.matrix.registry import AREAS, BODIES, DEFECTS, ROUTES, ROWS, areas_of
from tests.security.world import World


def test_every_route_has_a_row():
    missing = [f"{r.key}  ({r.pattern})" for r in ROUTES if not areas_of(r)]
    assert not missing, (
        "routes without a row in the permission matrix (add one to MATRIX in the area's "
        "tests/security/matrix/test_<area>.py; a new area: a new test_<area>.py like "
        "test_audit.py, listed in registry.AREAS):\n  " + "\n  ".join(missing)
    )


def test_every_route_is_in_one_table():
    """A route whose rows sit in two tables would be checked twice, with two sets of expectations."""
    doubled = {r.key: areas_of(r) for r in ROUTES if len(areas_of(r)) > 1}
    assert not doubled, f"routes with rows in more than one area's table: {doubled}"


def test_every_row_names_a_route():
    keys = {r.key for r in ROUTES}
    stale = [name for name, *_ in ROWS if not any(ch in name for ch in "*?") and name not in keys]
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_area_has_a_table_module():
    assert sorted(AREAS) == sorted(
        p.stem.removeprefix("test_") for p in builder.TABLE_DIR.glob("test_*.py") if p.stem != "test_routes"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [
        pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=reason), id="-".join(k))
        for k, reason in DEFECTS.items()
    ],
)
def test_known_defect(key):
    world = World()
    callers = Callers(world)
    route = next(r for r in ROUTES if r.key == key[0])
    row = next(r for r in ROWS if (r[0], r[1], r[2]) == key)
    assert not builder.check(route, row, world, callers, BODIES)
