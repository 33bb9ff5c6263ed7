"""The permission matrix: every route of the portal, pages and API, × every role, with the expected
outcome, one table per area (test_portal.py, test_audit.py, test_catalog.py, test_sharing.py,
test_openness.py, test_admin.py); test_routes.py checks that every route has its rows in one table.

outcomes.py reads an answer as an outcome, builder.py turns a table into tests, registry.py joins the
tables for the suites that walk every row (hidden objects, cache control, web security, hostile input).
"""

from tests.security.matrix.outcomes import Callers, covers, parse_table

__all__ = ["Callers", "covers", "parse_table"]
