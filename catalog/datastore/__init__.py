"""The datastore: the rows of each loaded version of a resource, in a PostgreSQL table of its own.

As CKAN's DataStore does it: each loaded version is a real table ``datastore.<table>`` typed
from the resource's data items (信息项), with a ``_row`` bigint identity primary key giving the
load order, filled by ``COPY ... FROM STDIN``. All SQL is built with psycopg2.sql (identifiers
quoted, values bound). The package holds no Django models; the catalog's services call it.

Modules:
    columns   Column, TYPES, SCHEMA, identifier checks
    limits    guard rails and their defaults (settings.DATASTORE overrides them)
    readers   CSV (UTF-8 / UTF-8 with BOM / GB18030) and XLSX readers, row by row
    validate  checking and normalising one cell per type (ID numbers, credit codes, phones...)
    fastpaths checking a column of a batch of CSV rows at once in its canonical form (same results)
    tables    load_file, drop_table, table_exists, row_count
    sql       Select builder and expressions (formula neutralising, export formats)
    query     preview, query_rows, copy_to, stream_csv
"""

from .columns import ROW_COLUMN, SCHEMA, TYPES, Column, check_identifier, is_identifier
from .limits import DEFAULTS as LIMIT_DEFAULTS
from .limits import limit
from .query import copy_to, preview, query_rows, stream_csv
from .readers import FileRejected
from .tables import LoadResult, RowError, drop_table, load_file, row_count, table_exists
from .validate import CellError, normalise

__all__ = [
    "SCHEMA",
    "TYPES",
    "ROW_COLUMN",
    "Column",
    "RowError",
    "LoadResult",
    "load_file",
    "drop_table",
    "table_exists",
    "row_count",
    "preview",
    "query_rows",
    "copy_to",
    "stream_csv",
    "check_identifier",
    "is_identifier",
    "normalise",
    "CellError",
    "FileRejected",
    "limit",
    "LIMIT_DEFAULTS",
]
