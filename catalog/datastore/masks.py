"""How an item that stays masked shows in a grant's rows (usage.py) and a masked preview (query.py):
ID numbers, credit codes and phone numbers keep their last four characters, other text its first
character, every other type shows nothing (Lhasa art. 9: shared data is used within the grant,
masked items masked). sealed.mask_text gives the same in Python for encrypted items."""

from __future__ import annotations

from psycopg2 import sql

from .columns import TEXT_TYPES, Column
from .sql import column_ref

KEEP_LAST_FOUR = frozenset({"id_number", "uscc", "phone"})


def mask_expr(column: Column) -> sql.Composable:
    """The masked form of a column (see the module docstring)."""
    ref = column_ref(column)
    if column.type in KEEP_LAST_FOUR:
        return sql.SQL(
            "CASE WHEN {c} IS NULL THEN NULL ELSE repeat('*', greatest(char_length({c}) - 4, 0)) || right({c}, 4) END"
        ).format(c=ref)
    if column.type in TEXT_TYPES:
        return sql.SQL(
            "CASE WHEN {c} IS NULL THEN NULL ELSE left({c}, 1) || repeat('*', greatest(char_length({c}) - 1, 0)) END"
        ).format(c=ref)
    return sql.SQL("NULL::text")


def shown_expr(column: Column, masked: bool) -> sql.Composable:
    """An encrypted item comes as its ciphertext: fetch_dicts decrypts and masks it in Python."""
    return mask_expr(column) if masked and not column.encrypted else column_ref(column)
