"""Permission matrix of the settings the bureau owns (issue 19 part 4: deadline lengths and cited
articles) and of the working-day calendar's month grid (part 5): the bureau admin reads and sets;
nobody else does.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

import json

from django.utils import timezone

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
policy_list                                     GET     L    -     -    -     -       -       +     -
policy_detail                                   GET     L    -     -    -     -       -       +     -
policy_detail                                   POST    L    -     -    -     -       -       +     -
api_policy_list                                 GET     L    -     -    -     -       -       +     -
api_policy_detail                               GET     L    -     -    -     -       -       +     -
api_policy_detail                               POST    L    -     -    -     -       -       +     -
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}


def _policy_body(w):
    return {"value": "6", "effective_from": timezone.localdate().isoformat(), "reason": "本市办法"}


BODIES: Bodies = {
    ("policy_detail", "", "post"): _policy_body,
    ("api_policy_detail", "", "post"): lambda w: json.dumps(_policy_body(w)),
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
