"""Permission matrix of grading: the grade levels page is the bureau administrator's (docs/grading.md).

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
grading:levels                                  GET     L    -     -    -     -       -       +     -
grading:levels                                  POST    L    -     -    -     -       -       +     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

BODIES: Bodies = {
    ("grading:levels", "", "post"): lambda w: {"action": "rename", "number": "2", "name": "内部"},
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
