"""Permission matrix of the audit log: the log and its export only for auditors, integrity also for
the bureau admin, usage for data officers; pages and API.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- audit pages: the log only for auditors; integrity also for the bureau admin; usage for officers --
audit_log                                       GET     L    -     -    -     -       -       -     +
audit:log                                       GET     L    -     -    -     -       -       -     +
audit:entry                                     GET     L    -     -    -     -       -       -     +
audit:export                                    GET     L    -     -    -     -       -       -     +
audit:integrity                                 GET     L    -     -    -     -       -       +     +
audit:heads                                     GET     L    -     -    -     -       -       -     +
audit:usage                                     GET     L    -     -    -     +       -       -     -
# --- API: audit ---------------------------------------------------------------------------------
audit-integrity                                 GET     L    -     -    -     -       -       +     +
audit-usage                                     GET     L    -     -    -     +       -       -     -
audit-entry-list                                GET     L    -     -    -     -       -       -     +
audit-entry-list                                POST    L    -     -    -     -       -       -     .
audit-entry-export                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              PATCH   L    -     -    -     -       -       -     .
audit-entry-detail                              DELETE  L    -     -    -     -       -       -     .
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

# Valid bodies for the POST / PUT / PATCH rows that need one.
BODIES: Bodies = {}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
