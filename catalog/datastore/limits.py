"""Guard rails of the datastore, with their defaults.

Every value can be overridden in Django settings::

    DATASTORE = {"MAX_ROWS": 2_000_000, "MAX_COLUMNS": 300}

Sizes of text are counted in characters, sizes of files in bytes.
"""

from django.conf import settings

DEFAULTS = {
    # Columns in the header (and cells in a data row) that a file may have.
    "MAX_COLUMNS": 500,
    # Characters in one cell. Larger cells are refused (csv.field_size_limit is raised to it).
    "MAX_FIELD_SIZE": 1024 * 1024,
    # Characters in one physical line of a CSV file (a line without a line break is refused
    # before it is read whole).
    "MAX_LINE_SIZE": 8 * 1024 * 1024,
    # Data rows in one file (the header not counted).
    "MAX_ROWS": 5_000_000,
    # Bytes of one uploaded file (CSV or XLSX) on disk.
    "MAX_FILE_SIZE": 4 * 1024 * 1024 * 1024,
    # XLSX is a zip archive: refuse it before opening if it would unpack to more than this...
    "MAX_XLSX_UNCOMPRESSED": 2 * 1024 * 1024 * 1024,
    # ... or if one member of at least 1 MiB unpacks to more than RATIO times its packed size
    # (zip bombs reach ratios of 1000 and more; real sheets stay far below 100).
    "MAX_XLSX_RATIO": 200,
    # ... or if it holds more members than this.
    "MAX_XLSX_MEMBERS": 10_000,
    # openpyxl keeps the shared strings table in memory: refuse larger ones (bytes of XML).
    "MAX_XLSX_SHARED_STRINGS": 100 * 1024 * 1024,
    # progress(rows_done) is called every so many rows.
    "PROGRESS_EVERY": 10_000,
    # Largest page of query_rows.
    "MAX_PAGE_SIZE": 1000,
    # Where the staging file is written (None: the system's temporary directory).
    "TEMP_DIR": None,
}


def limit(name: str):
    """The value of one guard rail: settings.DATASTORE[name] if set, else the default."""
    overrides = getattr(settings, "DATASTORE", None) or {}
    return overrides.get(name, DEFAULTS[name])
