"""Turning one area's table into tests: the routes the table covers, the check of one row for every
column, and the test that runs a table (pages and API apart, each in one world).

Columns (tests/security/world.py): anon, public (the applicant), own (staff of the owning department
A), other (staff of department B), officer (A's data officer), reviewer, admin (bureau admin),
auditor. Objects belong to department A; `route[variant]` names the object a row acts on (a draft,
a submitted or published entry, a proposed dataset version, another applicant's application...).
Outcomes (outcomes.py): + allowed, - refused (403/404), L sign in first, . method not offered. POST
rows send a valid body (the table's BODIES) so that "+" means the action was really allowed, not that
the form was refused before the permission check. Every call runs in a savepoint that is rolled back:
all rows see the same world.

A row whose expected outcome the portal does not yet give is listed in the table's DEFECTS: the area
test leaves it out and test_routes.py's `test_known_defect` expects it to fail (xfail strict), until
it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.audit.routes import all_routes
from tests.security.matrix.outcomes import Callers, covers
from tests.security.route_args import args_for
from tests.security.world import COLUMNS, World

Row = tuple[str, str, str, dict[str, str]]
Bodies = dict[tuple[str, str, str], Callable]

# The area modules (test_<area>.py) sit next to this one.
TABLE_DIR = Path(__file__).parent

# The URL configuration walked the audit coverage walker's way (tests/audit/routes.py).
ROUTES = all_routes()


def rows_for(route, rows: list[Row]) -> list[Row]:
    """The rows of `rows` that act on `route`: its own rows, or else the wildcard rows covering it."""
    exact = [r for r in rows if r[0] == route.key]
    return exact or [r for r in rows if covers(r[0], route.key) and r[0] != route.key]


def part(key: str) -> str:
    """The part a route belongs to: "api" for the REST API's routes (DRF's router names carry "-",
    the others start with "api"), "pages" for the rest."""
    if key.startswith("admin"):
        return "pages"
    if ":" in key:
        return "pages"
    return "api" if "-" in key or key.startswith("api") else "pages"


def check(route, row: Row, world, callers, bodies: Bodies) -> list[str]:
    """Every column's call of one row; the differences from the expected outcomes."""
    name, variant, method, expected = row
    variants = args_for(route.key) if route.params else {"": lambda w: {}}
    if variants is None or (route.params and variant not in variants):
        return [f"{route.key}[{variant}]: no URL arguments for this variant (tests/security/route_args.py)"]
    path = route.path(variants[variant](world))
    body = bodies.get((route.key, variant, method))
    problems = []
    for column in COLUMNS:
        data = body(world) if body else None
        got = callers.outcome(column, method, path, data)
        if got != expected[column]:
            problems.append(
                f"{method.upper()} {path} [{route.key}{'[' + variant + ']' if variant else ''}] "
                f"as {column}: expected {expected[column]}, got {got}"
            )
    return problems


def matrix_test(rows: list[Row], bodies: Bodies, defects: dict[tuple[str, str, str], str]):
    """The test of one area's table: one parameter per part (pages, api) that the table has rows for."""
    parts = sorted({part(r.key) for r in ROUTES if rows_for(r, rows)})

    @pytest.mark.django_db
    # hundreds of requests each: on a busy machine more than the default limit of 300 s (pyproject.toml)
    @pytest.mark.timeout(900)
    @pytest.mark.parametrize("part_name", parts)
    def test_permission_matrix(part_name):
        world = World()
        callers = Callers(world)
        failures = []
        for route in [r for r in ROUTES if part(r.key) == part_name]:
            for row in rows_for(route, rows):
                if (row[0], row[1], row[2]) in defects:
                    continue
                failures += check(route, row, world, callers, bodies)
        assert not failures, "\n".join(failures)

    return test_permission_matrix
