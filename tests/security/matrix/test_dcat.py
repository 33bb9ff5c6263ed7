"""Permission matrix of the DCAT-AP catalogs and the search-engine files (issue 17 parts 1, 2, 6): the
open-data catalog, the theme scheme, sitemap and robots.txt are public; the share catalog is for signed-in
readers (what each may list, as catalog:export_dcat); the province's copy is the bureau admin's.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
dcat:open_catalog                               GET     +    +     +    +     +       +       +     +
dcat:open_catalog_jsonld                        GET     +    +     +    +     +       +       +     +
dcat:open_catalog_ttl                           GET     +    +     +    +     +       +       +     +
dcat:open_catalog_rdf                           GET     +    +     +    +     +       +       +     +
dcat:share_catalog                              GET     L    +     +    +     +       +       +     +
dcat:share_catalog_ttl                          GET     L    +     +    +     +       +       +     +
dcat:share_catalog_rdf                          GET     L    +     +    +     +       +       +     +
dcat:province_jsonld                            GET     L    -     -    -     -       -       +     -
dcat:province_ttl                               GET     L    -     -    -     -       -       +     -
dcat:themes                                     GET     +    +     +    +     +       +       +     +
dcat:themes_jsonld                              GET     +    +     +    +     +       +       +     +
dcat:themes_ttl                                 GET     +    +     +    +     +       +       +     +
dcat:robots                                     GET     +    +     +    +     +       +       +     +
dcat:sitemap                                    GET     +    +     +    +     +       +       +     +
dcat:sitemap_section                            GET     +    +     +    +     +       +       +     +
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}

ROUTE_ARGS.update({"dcat:sitemap_section": {"": lambda w: {"section": "datasets"}}})

BODIES: Bodies = {}

test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
