"""Permission matrix of encryption at rest: the key status page and its API are the bureau
administrator's and the auditor's (read-only; SECURITY.md "Encryption at rest").

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
encryption:status                               GET     L    -     -    -     -       -       +     +
encryption-status                               GET     L    -     -    -     -       -       +     +
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}

BODIES: Bodies = {}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
