"""Master key, key providers, and data keys (envelope encryption; Tongren art. 22 加密存储, Lhasa
art. 40 数据加密; see SECURITY.md "Encryption at rest").

Data is encrypted with data keys; a data key is stored only wrapped (encrypted) by the master
key, which never enters the database. The master key comes from one ``KeyProvider``:

    file   ``ENCRYPTION["MASTER_KEY_FILE"]``: 32 random bytes, base64, one line (the embedded
           default generates it into ``.data/master.key`` on first run when
           ``ENCRYPTION["GENERATE_MASTER_KEY"]`` is on)
    env    the environment variable named by ``ENCRYPTION["MASTER_KEY_ENV"]``, base64
    a dotted path to a ``KeyProvider`` subclass (an HSM or a cloud KMS: it implements key_id,
    wrap and unwrap and never hands the master key out)

Every wrapped blob carries the id of the master key that wrapped it, so a wrong master key is
told apart from damaged bytes. Master keys retired by a rotation stay readable through
``ENCRYPTION["PREVIOUS_MASTER_KEY_FILES"]`` until ``rotate_keys`` has re-wrapped everything.

Losing the master key (and every copy) is losing the data: nothing can unwrap the data keys.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from . import ciphers
from .ciphers import AuthenticationFailed

MASTER_KEY_SIZE = 32
DATA_KEY_SIZE = 32
WRAP_MAGIC = b"PKW1"  # wrapped data key, format 1
VALUE_VERSION = 1  # first byte of an encrypted value
_KEY_ID_SIZE = 8


class EncryptionError(Exception):
    """Base of the errors of encryption at rest; str() is a Chinese sentence for the operator."""


class MasterKeyError(EncryptionError):
    """The master key is missing, malformed, or not the one the data was encrypted with."""


class TamperedError(EncryptionError):
    """A ciphertext or wrapped key failed authentication: altered, damaged, or moved."""


def encryption_settings() -> dict:
    defaults = {
        "ALGORITHM": ciphers.SM4_GCM,
        "KEY_PROVIDER": "file",
        "MASTER_KEY_FILE": str(Path(settings.BASE_DIR) / ".data" / "master.key"),
        "MASTER_KEY_ENV": "ENCRYPTION_MASTER_KEY",
        "GENERATE_MASTER_KEY": False,
        "PREVIOUS_MASTER_KEY_FILES": [],
    }
    return {**defaults, **getattr(settings, "ENCRYPTION", {})}


def algorithm() -> str:
    """The configured cipher for new encryptions (blobs made with the other one still open)."""
    return ciphers.check_algorithm(encryption_settings()["ALGORITHM"])


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != MASTER_KEY_SIZE:
        raise MasterKeyError(
            _("主密钥（%(where)s）格式错误：应为 %(size)s 字节随机数的 base64 编码")
            % {"where": where, "size": MASTER_KEY_SIZE}
        )
    return key


def generate_key_file(path: str | Path) -> Path:
    """Write a new random master key to path (mode 0600), never over an existing file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = base64.b64encode(os.urandom(MASTER_KEY_SIZE)) + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # O_EXCL: two processes, one key
    with os.fdopen(fd, "wb") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    return path


def read_key_file(path: str | Path) -> bytes:
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise MasterKeyError(_("找不到主密钥文件 %(path)s") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MasterKeyError(_("无法读取主密钥文件 %(path)s：%(error)s") % {"path": path, "error": exc}) from None
    return _decode_key(text, str(path))


def master_key_id(master: bytes) -> str:
    """16 hex characters naming a master key (a keyed hash of it: tells nothing about the key)."""
    return ciphers.keyed_hash(ciphers.AES_256_GCM, master, b"portal master key id")[:_KEY_ID_SIZE].hex()


class KeyProvider:
    """The one interface to the master key. An HSM or KMS provider implements these three."""

    def key_id(self) -> str:
        raise NotImplementedError

    def wrap(self, data_key: bytes) -> bytes:
        raise NotImplementedError

    def unwrap(self, blob: bytes) -> bytes:
        raise NotImplementedError

    def known_key_ids(self) -> set[str]:
        """The ids of every master key this provider can unwrap with (current and previous)."""
        return {self.key_id()}


class LocalKeyProvider(KeyProvider):
    """Wraps with a master key held in this process: format WRAP_MAGIC | algorithm (1) |
    master key id (8) | nonce | ciphertext | tag, the header authenticated as associated data."""

    def __init__(self, master: bytes, previous: list[bytes] = ()):
        if len(master) != MASTER_KEY_SIZE:
            raise MasterKeyError(_("主密钥长度错误"))
        self._keys = {master_key_id(master): master}
        self._current = master_key_id(master)
        for key in previous:
            self._keys.setdefault(master_key_id(key), key)

    def key_id(self) -> str:
        return self._current

    def known_key_ids(self) -> set[str]:
        return set(self._keys)

    def wrap(self, data_key: bytes) -> bytes:
        name = algorithm()
        header = WRAP_MAGIC + bytes([ciphers.ALGORITHM_IDS[name]]) + bytes.fromhex(self._current)
        key = ciphers.subkey(name, self._keys[self._current], b"wrap", ciphers.KEY_SIZES[name])
        return header + ciphers.seal(name, key, data_key, header + b"|data key")

    def unwrap(self, blob: bytes) -> bytes:
        blob = bytes(blob)
        head = len(WRAP_MAGIC) + 1 + _KEY_ID_SIZE
        if len(blob) < head or not blob.startswith(WRAP_MAGIC) or blob[len(WRAP_MAGIC)] not in ciphers.ALGORITHM_NAMES:
            raise TamperedError(_("加密的数据密钥格式错误，可能已损坏"))
        name = ciphers.ALGORITHM_NAMES[blob[len(WRAP_MAGIC)]]
        key_id = blob[len(WRAP_MAGIC) + 1 : head].hex()
        master = self._keys.get(key_id)
        if master is None:
            raise MasterKeyError(
                _("数据密钥由主密钥 %(wanted)s 加密，当前主密钥为 %(current)s：主密钥错误或缺失")
                % {"wanted": key_id, "current": self._current}
            )
        key = ciphers.subkey(name, master, b"wrap", ciphers.KEY_SIZES[name])
        try:
            return ciphers.open_sealed(name, key, blob[head:], blob[:head] + b"|data key")
        except AuthenticationFailed:
            raise TamperedError(_("加密的数据密钥未通过完整性校验：已被篡改或损坏")) from None


class FileKeyProvider(LocalKeyProvider):
    def __init__(self, path: str | Path | None = None, *, generate: bool | None = None, previous_files=None):
        conf = encryption_settings()
        path = Path(path or conf["MASTER_KEY_FILE"])
        generate = conf["GENERATE_MASTER_KEY"] if generate is None else generate
        if generate and not path.exists():
            try:
                generate_key_file(path)
            except FileExistsError:  # another process made it first: use that one
                pass
        previous = [
            read_key_file(p) for p in (conf["PREVIOUS_MASTER_KEY_FILES"] if previous_files is None else previous_files)
        ]
        super().__init__(read_key_file(path), previous)
        self.path = path


class EnvKeyProvider(LocalKeyProvider):
    def __init__(self, variable: str | None = None):
        conf = encryption_settings()
        variable = variable or conf["MASTER_KEY_ENV"]
        text = os.environ.get(variable)
        if not text:
            raise MasterKeyError(_("环境变量 %(name)s 中没有主密钥") % {"name": variable})
        previous = [read_key_file(p) for p in conf["PREVIOUS_MASTER_KEY_FILES"]]
        super().__init__(_decode_key(text, variable), previous)


PROVIDERS = {"file": FileKeyProvider, "env": EnvKeyProvider}
_lock = threading.Lock()
_provider: KeyProvider | None = None


def provider() -> KeyProvider:
    """The configured provider, made once per process (MasterKeyError if it cannot be)."""
    global _provider
    with _lock:
        if _provider is None:
            name = encryption_settings()["KEY_PROVIDER"]
            factory = PROVIDERS.get(name) or import_string(name)
            _provider = factory()
        return _provider


def reset_provider(**kwargs) -> None:
    global _provider
    with _lock:
        _provider = None


setting_changed.connect(reset_provider, dispatch_uid="protection.encryption.keys.reset")


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_SIZE)


def wrap(data_key: bytes) -> bytes:
    """data_key encrypted by the master key, for storing beside the data."""
    if len(data_key) < 16:
        raise ValueError("a data key has at least 16 bytes")
    return provider().wrap(bytes(data_key))


def unwrap(blob: bytes) -> bytes:
    """The data key of wrap()'s blob; MasterKeyError (wrong/missing master key) or TamperedError."""
    return provider().unwrap(bytes(blob))


def wrapped_key_id(blob: bytes) -> str | None:
    """The id of the master key that wrapped blob (None if it is not a LocalKeyProvider blob)."""
    blob = bytes(blob)
    if not blob.startswith(WRAP_MAGIC) or len(blob) < len(WRAP_MAGIC) + 1 + _KEY_ID_SIZE:
        return None
    return blob[len(WRAP_MAGIC) + 1 : len(WRAP_MAGIC) + 1 + _KEY_ID_SIZE].hex()


class DataKey:
    """A data key in memory: authenticated encryption of values and a keyed blind index.

    A value's blob: version (1) | algorithm (1) | key number (4, big-endian: the stored key's
    id, so rotation can tell old values from new) | nonce (12) | ciphertext | tag (16). The
    caller's aad binds a value to its place (e.g. "table.column"): a ciphertext copied to
    another column or table fails authentication."""

    HEADER = 6

    def __init__(self, secret: bytes, *, number: int = 0, algorithm_name: str | None = None):
        if len(secret) < 16:
            raise ValueError("a data key has at least 16 bytes")
        self.secret, self.number = bytes(secret), int(number)
        self.algorithm = ciphers.check_algorithm(algorithm_name or algorithm())
        self._keys: dict[str, bytes] = {}

    def _key(self, name: str) -> bytes:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = ciphers.subkey(name, self.secret, b"encrypt", ciphers.KEY_SIZES[name])
        return key

    def encrypt(self, plaintext: bytes, aad: bytes = b"") -> bytes:
        header = bytes([VALUE_VERSION, ciphers.ALGORITHM_IDS[self.algorithm]]) + self.number.to_bytes(4, "big")
        return header + ciphers.seal(self.algorithm, self._key(self.algorithm), plaintext, header + b"|" + aad)

    def encryptor(self, aad: bytes = b""):
        """encrypt(·, aad + suffix) as one function, its header made once (loads)."""
        header = bytes([VALUE_VERSION, ciphers.ALGORITHM_IDS[self.algorithm]]) + self.number.to_bytes(4, "big")
        name, key, base = self.algorithm, self._key(self.algorithm), header + b"|" + aad
        seal = ciphers.seal
        return lambda plaintext, suffix=b"": header + seal(name, key, plaintext, base + suffix)

    def decrypt(self, blob: bytes, aad: bytes = b"") -> bytes:
        blob = bytes(blob)
        if len(blob) < self.HEADER or blob[0] != VALUE_VERSION or blob[1] not in ciphers.ALGORITHM_NAMES:
            raise TamperedError(_("密文格式错误：不是本平台加密的数据，或已被篡改"))
        if key_number(blob) != self.number:
            raise TamperedError(_("密文不是用这个数据密钥加密的（可能被移动或篡改）"))
        name = ciphers.ALGORITHM_NAMES[blob[1]]
        try:
            return ciphers.open_sealed(name, self._key(name), blob[self.HEADER :], blob[: self.HEADER] + b"|" + aad)
        except AuthenticationFailed:
            raise TamperedError(_("密文未通过完整性校验：已被篡改或损坏")) from None

    def blind_index(self, value: bytes) -> bytes:
        """A keyed hash of value (16 bytes) for equality look-ups without the plaintext: equal
        values give equal indexes under one key; without the key nobody can compute one."""
        mac = self._keys.get("index")
        if mac is None:
            mac = self._keys["index"] = ciphers.KeyedHash(
                self.algorithm, ciphers.subkey(self.algorithm, self.secret, b"blind index", 32)
            )
        return mac(value)[:16]


def key_number(blob: bytes) -> int:
    """The number of the data key an encrypted value names."""
    return int.from_bytes(bytes(blob[2:6]), "big")


def encrypt(data_key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    return DataKey(data_key).encrypt(plaintext, aad)


def decrypt(data_key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    return DataKey(data_key).decrypt(blob, aad)
