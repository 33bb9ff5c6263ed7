"""Encrypted data items in data tables (Tongren art. 22 加密存储, Lhasa art. 40; SECURITY.md).

An item marked ``Column.encrypted`` is stored as ciphertext (bytea: protection.encryption's
authenticated encryption under the table's data key) with a blind index beside it (``_i_<key>``,
the platform's keyed hash of the normalised value). Equality filters, compare mode and join keys
use the index; the values are decrypted in Python after the query, masked there when the grant
says so, and never leave the database as plaintext (no SQL function ever sees the key).

A value that does not decrypt raises protection's TamperedError: never served as data.
"""

from __future__ import annotations

from collections.abc import Iterable

from protection.encryption.keys import EncryptionError

from .columns import TEXT_TYPES, Column
from .masks import KEEP_LAST_FOUR


def TableCipher(table: str, **options):  # lazy: the datastore is imported before the apps are ready
    from protection.encryption.services import TableCipher as cipher

    return cipher(table, **options)


class LoadCipher:
    """Encrypts a load's cells into COPY's text form of bytea."""

    def __init__(self, table: str):
        self.cipher = TableCipher(table, create=True)

    def seal_many(self, column_key: str, texts: list, lines: list[int]) -> tuple[list, list]:
        seal, index = self.cipher.sealer(column_key), self.cipher.index
        sealed = [None if t is None else "\\\\x" + seal(t, line).hex() for t, line in zip(texts, lines)]
        indexes = [None if t is None else "\\\\x" + index(t).hex() for t in texts]
        return sealed, indexes


def load_cipher(table: str, columns: list[Column]) -> LoadCipher | None:
    """The cells' cipher when some item is stored encrypted (its data key is made for the table)."""
    return LoadCipher(table) if any(column.encrypted for column in columns) else None


def seal_columns(cipher: LoadCipher, sealed: list[tuple[int, Column]], values: list, lines: list[int]) -> list:
    """A batch's columns (values[position]: a list of cells, or None) with each encrypted item's
    texts replaced by ciphertexts and the blind-index columns appended, in COPY's text form."""
    values, indexes = list(values), []
    for position, column in sealed:
        if values[position] is None:
            indexes.append(None)
            continue
        values[position], index = cipher.seal_many(column.key, values[position], lines)
        indexes.append(index)
    return values + indexes


def seal_row(cipher: LoadCipher, sealed: list[tuple[int, Column]], values: list, line: int) -> list:
    """seal_columns for one row's cells."""
    columns = seal_columns(cipher, sealed, [None if v is None else [v] for v in values], [line])
    return [None if v is None else v[0] for v in columns]


def typed(column: Column, text: str):
    """A decrypted value as the JSON-friendly value the unencrypted column would give."""
    if column.type == "integer":
        return int(text)
    if column.type == "boolean":
        return text in ("t", "true")
    return text


def mask_text(column: Column, text: str | None) -> str | None:
    """The masked form in Python, the same as masks.mask_expr gives in SQL."""
    if text is None:
        return None
    if column.type in KEEP_LAST_FOUR:
        return "*" * max(len(text) - 4, 0) + text[-4:]
    if column.type in TEXT_TYPES:
        return text[:1] + "*" * max(len(text) - 1, 0)
    return None


class RowOpener:
    """Decrypts (and masks) the encrypted items of rows whose fields are `columns`, in order, then
    the row's _line (with_line() adds it to a Select): row() returns the row without it."""

    def __init__(self, table: str, columns: list[Column], masked: Iterable[str] = ()):
        self.columns = columns
        self.sealed = [(i, c, c.key in set(masked)) for i, c in enumerate(columns) if c.encrypted]
        self.cipher = TableCipher(table) if self.sealed else None

    def __bool__(self):
        return bool(self.sealed)

    def text(self, column: Column, value, masked: bool, line=None) -> str | None:
        if value is None:
            return None
        text = self.cipher.open(column.key, value, line)
        return mask_text(column, text) if masked else text

    def row(self, row) -> list:
        row = list(row)
        if not self.sealed:
            return row
        line = row.pop()
        for i, column, masked in self.sealed:
            text = self.text(column, row[i], masked, line)
            row[i] = text if masked or text is None else typed(column, text)
        return row


def with_line(fields: list, columns: list[Column]) -> list:
    """fields, and the row's _line last when some column is encrypted (its cells are bound to it)."""
    from .columns import LINE_COLUMN
    from .sql import column_ref

    return list(fields) + ([column_ref(LINE_COLUMN)] if any(c.encrypted for c in columns) else [])


def check_plain(columns: list[Column], row) -> None:
    """Raise if a value of an item not marked encrypted came back as bytes (ciphertext)."""
    for column, value in zip(columns, row):
        if isinstance(value, (bytes, memoryview)) and not column.encrypted:
            raise EncryptionError(f"column {column.key} holds ciphertext but is not marked encrypted")


def _neutral(text: str | None) -> str | None:
    from .sql import FORMULA_STARTS

    return "'" + text if text and text.startswith(FORMULA_STARTS) else text


def encode(
    rows,
    *,
    table: str,
    columns: list[Column],
    masked: Iterable[str] = (),
    fmt: str = "csv",
    chunk_size: int = 64 * 1024,
):
    """Rows (the plain items already in their export form, the encrypted ones as ciphertext) as
    CSV rows or JSON lines in byte chunks, the encrypted items decrypted (and masked) here."""
    import csv
    import io
    import json

    masked = frozenset(masked)
    opener = RowOpener(table, columns, masked)
    keys = [c.key for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        row = list(row)
        line = row.pop() if opener.sealed else None
        for i, column, is_masked in opener.sealed:
            text = opener.text(column, row[i], is_masked, line)
            if fmt == "csv":
                row[i] = _neutral(text) if column.type in TEXT_TYPES or is_masked else text
            else:
                row[i] = text if is_masked or text is None else typed(column, text)
        if fmt == "csv":
            writer.writerow(["" if v is None else v for v in row])
        else:
            buffer.write(json.dumps(dict(zip(keys, row)), ensure_ascii=False, default=str) + "\n")
        if buffer.tell() >= chunk_size:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def stream(statement: str, params: dict, *, head: bytes = b"", batch: int = 2000, **options):
    """encode() over a server-side cursor on a connection of its own (as the application's
    role), like the COPY streams: memory stays flat, committed data only."""
    import psycopg2

    from audit.services import dbroles

    raw = psycopg2.connect(**params)
    try:
        raw.set_session(readonly=True)
        dbroles.use_app_role_raw(raw)
        yield head
        with raw.cursor(name="sealed_export") as cursor:
            cursor.itersize = batch
            cursor.execute(statement)
            yield from encode(cursor, **options)
    finally:
        raw.close()


def write(statement: str, connection, out, **options) -> None:
    """encode() on the caller's (Django) connection, into out (copy_to's way)."""
    import io

    text = isinstance(out, io.TextIOBase)
    with connection.cursor() as cursor:
        cursor.execute(statement)

        def rows():
            while batch := cursor.fetchmany(2000):
                yield from batch

        for chunk in encode(rows(), **options):
            out.write(chunk.decode("utf-8") if text else chunk)
