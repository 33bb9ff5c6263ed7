"""All areas' tables joined: the rows and bodies that the suites walking every route read (hidden
objects, cache control, web security, hostile input) and the route coverage of test_routes.py."""

from __future__ import annotations

from tests.security.matrix import (
    builder,
    test_accounts,
    test_admin,
    test_audit,
    test_catalog,
    test_ckan,
    test_dcat,
    test_detection,
    test_encryption,
    test_grading,
    test_incidents,
    test_openness,
    test_policy,
    test_portal,
    test_selfchecks,
    test_sharing,
    test_signatures,
)

# One module per area; a new area's table module is added here.
AREAS = {
    "portal": test_portal,
    "audit": test_audit,
    "catalog": test_catalog,
    "sharing": test_sharing,
    "openness": test_openness,
    "signatures": test_signatures,
    "encryption": test_encryption,
    "incidents": test_incidents,
    "detection": test_detection,
    "grading": test_grading,
    "admin": test_admin,
    "ckan": test_ckan,
    "policy": test_policy,
    "dcat": test_dcat,
    "selfchecks": test_selfchecks,
    "accounts": test_accounts,
}

ROUTES = builder.ROUTES
ROWS: list[builder.Row] = [row for module in AREAS.values() for row in module.ROWS]
BODIES: builder.Bodies = {key: body for module in AREAS.values() for key, body in module.BODIES.items()}
DEFECTS: dict[tuple[str, str, str], str] = {
    key: reason for module in AREAS.values() for key, reason in module.DEFECTS.items()
}


def rows_for(route) -> list[builder.Row]:
    """The rows acting on `route`, from whichever area's table holds them."""
    return builder.rows_for(route, ROWS)


def areas_of(route) -> list[str]:
    """The areas whose table has rows for `route` (exactly one for a route that is covered)."""
    return [name for name, module in AREAS.items() if builder.rows_for(route, module.ROWS)]
