"""Key rotation (SECURITY.md "Encryption at rest"): re-wrapping data keys with the current master
key, and re-encrypting data tables under new data keys, resumably and without downtime.

Re-wrapping touches only the stored keys, one row each, in its own transaction: run it after a
new master key is configured (the old one in ENCRYPTION_PREVIOUS_MASTER_KEY_FILES until done).

Re-encrypting a table makes a new data key for it and moves the rows in _row order, a batch per
transaction that also records how far it got (Reencryption.last_row). Every value names the key
that encrypted it, so while a run is under way (or after it was killed) each row still opens,
old or new: readers never wait, and a second run goes on from last_row. Data tables never change
once loaded (a new load is a new table), so no row can be written behind the run's back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from psycopg2 import sql
from psycopg2.extras import execute_values

from . import keys
from .models import Reencryption, StoredKey
from .services import cell_aad, create_key, forget_keys, key_by_number, scope_of

# the data tables' schema (catalog.datastore.SCHEMA; protection does not import catalog)
SCHEMA = "datastore"
INDEX_PREFIX = "_i_"


def rewrap(progress: Callable[[str], None] | None = None) -> int:
    """Wrap every stored data key not wrapped by the current master key with it; the count."""
    current = keys.provider().key_id()
    done = 0
    for pk in StoredKey.objects.exclude(master_key_id=current).values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            stored = StoredKey.objects.select_for_update().get(pk=pk)
            if stored.master_key_id == current:
                continue
            secret = keys.unwrap(bytes(stored.wrapped))
            stored.wrapped, stored.master_key_id = keys.wrap(secret), current
            stored.save(update_fields=["wrapped", "master_key_id"])
        done += 1
        if progress:
            progress(f"rewrapped {stored}")
    forget_keys()
    return done


def encrypted_columns(table: str) -> list[str]:
    """The encrypted columns of a data table: its bytea columns other than the blind indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = %s AND data_type = 'bytea' ORDER BY ordinal_position",
            [SCHEMA, table],
        )
        return [name for (name,) in cursor.fetchall() if not name.startswith(INDEX_PREFIX)]


def tables_to_reencrypt() -> list[str]:
    """Tables that have a table key and still exist, in key order."""
    scopes = (
        StoredKey.objects.filter(purpose=StoredKey.Purpose.TABLE, retired_at__isnull=True)
        .order_by("pk")
        .values_list("scope", flat=True)
        .distinct()
    )
    out = []
    with connection.cursor() as cursor:
        for scope in dict.fromkeys(scopes):
            cursor.execute("SELECT to_regclass(%s)", [f'{SCHEMA}."{scope}"'])
            if cursor.fetchone()[0] is not None:
                out.append(scope)
    return out


def _job(table: str) -> Reencryption:
    """The open re-encryption of table, or a new one with a new data key."""
    with transaction.atomic():
        job = Reencryption.objects.select_for_update().filter(scope=table, finished_at__isnull=True).first()
        if job is not None:
            return job
        old = (
            StoredKey.objects.filter(purpose=StoredKey.Purpose.TABLE, scope=table, retired_at__isnull=True)
            .order_by("-pk")
            .first()
        )
        if old is None:
            raise ValueError(f"no data key for table {table}")
        create_key(StoredKey.Purpose.TABLE, table)
        new = StoredKey.objects.filter(purpose=StoredKey.Purpose.TABLE, scope=table).order_by("-pk").first()
        return Reencryption.objects.create(scope=table, old_key=old, new_key=new)


def reencrypt_table(
    table: str, *, batch: int = 5000, pause: float = 0.0, progress: Callable[[Reencryption, float], None] | None = None
) -> Reencryption:
    """Move every value of table to a new data key (see the module doc); resumes an open run."""
    columns = encrypted_columns(table)
    job = _job(table)
    new_key = key_by_number(job.new_key_id)
    scope = scope_of(job.new_key_id)
    ident = sql.Identifier(SCHEMA, table)
    select = sql.SQL("SELECT _row, {}, _line FROM {} WHERE _row > %s ORDER BY _row LIMIT %s").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), ident
    )
    update = sql.SQL("UPDATE {} AS t SET {} FROM (VALUES %s) AS v (_row, {}) WHERE t._row = v._row").format(
        ident,
        sql.SQL(", ").join(sql.SQL("{0} = v.{0}").format(sql.Identifier(c)) for c in columns),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
    )
    started, moved = time.monotonic(), 0
    while columns:
        with transaction.atomic():
            job = Reencryption.objects.select_for_update().get(pk=job.pk)
            with connection.cursor() as cursor:
                cursor.execute(select.as_string(cursor.connection), [job.last_row, batch])
                rows = cursor.fetchall()
                if not rows:
                    break
                values = []
                for row in rows:
                    out, line = [row[0]], row[-1]
                    for column, blob in zip(columns, row[1:-1]):
                        if blob is None or keys.key_number(bytes(blob)) == job.new_key_id:
                            out.append(blob)
                            continue
                        number = keys.key_number(bytes(blob))
                        plain = key_by_number(number).decrypt(bytes(blob), cell_aad(scope_of(number), column, line))
                        out.append(new_key.encrypt(plain, cell_aad(scope, column, line)))
                    values.append(out)
                template = "(%s" + ", %s::bytea" * len(columns) + ")"
                execute_values(
                    cursor, update.as_string(cursor.connection), values, template=template, page_size=len(values)
                )
            job.last_row, job.rows_done = rows[-1][0], job.rows_done + len(rows)
            job.save(update_fields=["last_row", "rows_done"])
        moved += len(rows)
        if progress:
            progress(job, moved / max(time.monotonic() - started, 1e-9))
        if pause:
            time.sleep(pause)
    with transaction.atomic():
        job = Reencryption.objects.select_for_update().get(pk=job.pk)
        if job.finished_at is None:
            now = timezone.now()
            job.finished_at = now
            job.save(update_fields=["finished_at"])
            StoredKey.objects.filter(pk=job.old_key_id).update(retired_at=now)
            # keys older than the old one were retired by earlier runs; nothing names them now
    return job
