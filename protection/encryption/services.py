"""Data keys kept in the database (wrapped), and the cells of encrypted data table columns.

One data key per data table (envelope encryption: the table's rows are encrypted with it, it is
stored wrapped by the master key), one platform-wide blind-index key (so equal values of two
tables index equally: compare mode and join keys work across tables). Unwrapped keys are kept
in this process's memory only. SECURITY.md "Encryption at rest" describes the scheme.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import keys
from .models import StoredKey

_cache: dict[int, keys.DataKey] = {}
_lock = threading.Lock()


def forget_keys(**kwargs) -> None:
    with _lock:
        _cache.clear()


keys.setting_changed.connect(forget_keys, dispatch_uid="protection.encryption.services.forget")


def encrypts_sensitive_items() -> bool:
    """ENCRYPTION["SENSITIVE_ITEMS"] (default on): new loads store sensitive items encrypted."""
    return bool(keys.encryption_settings().get("SENSITIVE_ITEMS", True))


def create_key(purpose: str, scope: str = "") -> keys.DataKey:
    """A new data key for purpose/scope, stored wrapped; the key in memory. Refused (MasterKeyError)
    while stored keys name a master key the provider does not hold: with a wrong master key
    nothing new is encrypted, so nothing is written that the right key could not read."""
    unknown = unknown_master_keys()
    if unknown:
        raise keys.MasterKeyError(
            _("数据密钥由主密钥 %(wanted)s 加密，当前主密钥为 %(current)s：主密钥错误或缺失")
            % {"wanted": "、".join(sorted(unknown)), "current": keys.provider().key_id()}
        )
    secret = keys.new_data_key()
    stored = StoredKey.objects.create(
        purpose=purpose,
        scope=scope,
        algorithm=keys.algorithm(),
        wrapped=keys.wrap(secret),
        master_key_id=keys.provider().key_id(),
    )
    key = keys.DataKey(secret, number=stored.pk, algorithm_name=stored.algorithm)
    key.scope = scope
    with _lock:
        _cache[stored.pk] = key
    return key


def key_by_number(number: int) -> keys.DataKey:
    """The data key a value names; TamperedError if no such key is stored."""
    with _lock:
        key = _cache.get(number)
    if key is not None:
        return key
    stored = StoredKey.objects.filter(pk=number).first()
    if stored is None:
        raise keys.TamperedError(_("密文指向不存在的数据密钥 #%(n)s：已被篡改或密钥已被删除") % {"n": number})
    key = keys.DataKey(keys.unwrap(bytes(stored.wrapped)), number=stored.pk, algorithm_name=stored.algorithm)
    key.scope = stored.scope
    with _lock:
        _cache[number] = key
    return key


def scope_of(number: int) -> str:
    key = key_by_number(number)
    scope = getattr(key, "scope", None)
    if scope is None:
        key.scope = scope = StoredKey.objects.values_list("scope", flat=True).get(pk=number)
    return scope


def active_key(purpose: str, scope: str = "", *, create: bool = True) -> keys.DataKey | None:
    """The newest key of purpose/scope that is not retired (made when there is none and create)."""
    number = (
        StoredKey.objects.filter(purpose=purpose, scope=scope, retired_at__isnull=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if number is not None:
        return key_by_number(number)
    if not create:
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        # one key per purpose/scope even when two loads start at once
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"encryption:{purpose}:{scope}"])
        number = (
            StoredKey.objects.filter(purpose=purpose, scope=scope, retired_at__isnull=True)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if number is not None:
            return key_by_number(number)
        return create_key(purpose, scope)


def index_key() -> keys.DataKey:
    return active_key(StoredKey.Purpose.INDEX, "")


def unknown_master_keys() -> set[str]:
    """Ids of master keys that wrapped stored data keys and that the provider does not hold."""
    used = set(StoredKey.objects.values_list("master_key_id", flat=True).distinct())
    return used - keys.provider().known_key_ids()


class TableCipher:
    """Encrypts and opens the cells of one data table's encrypted columns. A cell's associated
    data is cell_aad(): a ciphertext moved to another column or row fails to open; the scope is
    the table the key was made for, so a copy of the table (a restore) still opens."""

    def __init__(self, table: str, *, create: bool = False):
        self.table = table
        self._key = active_key(StoredKey.Purpose.TABLE, table, create=create) if create else None
        self._index = None  # looked up when a value is indexed: reading needs no query for it

    def _write_key(self) -> keys.DataKey:
        if self._key is None:
            self._key = active_key(StoredKey.Purpose.TABLE, self.table)
        return self._key

    def seal(self, column: str, text: str, line: int | None = None) -> bytes:
        key = self._write_key()
        return key.encrypt(text.encode("utf-8"), cell_aad(getattr(key, "scope", self.table), column, line))

    def sealer(self, column: str):
        """seal(column, ·, line) as one function for a whole column of a load."""
        key = self._write_key()
        encrypt = key.encryptor(cell_aad(getattr(key, "scope", self.table), column, None))
        return lambda text, line: encrypt(text.encode("utf-8"), line_suffix(line))

    def index(self, text: str) -> bytes:
        if self._index is None:
            self._index = index_key()
        return self._index.blind_index(text.encode("utf-8"))

    def open(self, column: str, blob, line: int | None = None) -> str:
        blob = bytes(blob)
        number = keys.key_number(blob) if len(blob) >= keys.DataKey.HEADER else 0
        key = key_by_number(number)
        return key.decrypt(blob, cell_aad(scope_of(number), column, line)).decode("utf-8")


def line_suffix(line: int | None) -> bytes:
    return b"" if line is None else b"#" + str(int(line)).encode()


def cell_aad(scope: str, column: str, line: int | None) -> bytes:
    """A cell's associated data: the table its key was made for, the column, and the row's file line
    (_line, kept by rotation, copies and restores), so a ciphertext moved to another column or
    another row does not open."""
    return f"{scope}.{column}".encode() + line_suffix(line)
