"""Permission matrix of the CKAN-compatible API, the Data Packages and the public API page (issue 17
parts 3, 4, 8): all public, like the open-data API they are a dialect of (an API key is optional;
rows of 依申请开放 datasets follow the open-data rule, tested in tests/interop/ckan/). Every action
answers GET and POST; a call without its required parameter is a Validation Error (409, "+" here:
the caller was let in).

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
ckan-*                                          GET     +    +     +    +     +       +       +     +
ckan-*                                          POST    +    +     +    +     +       +       +     +
ckan_public:datapackage                         GET     +    +     +    +     +       +       +     +
ckan_public:api_docs                            GET     +    +     +    +     +       +       +     +
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}

ROUTE_ARGS.update({"ckan_public:datapackage": {"": lambda w: {"pk": w.dataset.pk}}})

BODIES: Bodies = {}

test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
