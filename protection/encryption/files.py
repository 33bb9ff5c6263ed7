"""Uploaded files encrypted on disk from the moment they are received (SECURITY.md "Encryption at
rest"; Tongren art. 22 加密存储).

``EncryptedFileUploadHandler`` takes Django's place for file parts too big for memory
(FILE_UPLOAD_HANDLERS): each chunk is encrypted as it arrives, so no plaintext of an upload is
ever written to disk. ``store(upload, path)`` keeps an upload encrypted at path (moving the
handler's file, or encrypting a small in-memory one); ``plaintext(path)`` gives the readers a
path to the decrypted bytes in an unlinked temporary file (no name on disk; gone when the
``with`` ends or the process dies); ``remove(path)`` deletes a file no longer needed.

Format: "PKF1" | key number (4) | records of length (4) | nonce | ciphertext | tag, each record
authenticated with the header, its counter and a last-record flag (the STREAM construction of
Hoang, Reyhanitabar, Rogaway and Vizár, 2015): a reordered, cut or altered file does not open.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from . import keys

MAGIC = b"PKF1"
BACKUP_MAGIC = b"PKB1"  # the data key travels in the header, wrapped by the master key
RECORD = 64 * 1024


def _file_key() -> keys.DataKey:
    from .models import StoredKey
    from .services import active_key

    return active_key(StoredKey.Purpose.FILE, "uploads")


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + counter.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class Writer:
    """Encrypts what is written into records of RECORD bytes; close() writes the last record.
    wrapped: a data key carried in the header, wrapped by the master key (backups: restored into
    an empty database, they cannot name a stored key)."""

    def __init__(self, out, key: keys.DataKey | None = None, *, wrapped: bytes | None = None):
        self.out, self.key = out, key or _file_key()
        if wrapped is None:
            self.header = MAGIC + self.key.number.to_bytes(4, "big")
        else:
            self.header = BACKUP_MAGIC + self.key.number.to_bytes(4, "big") + len(wrapped).to_bytes(2, "big") + wrapped
        self.out.write(self.header)
        self.pending, self.counter, self.size = bytearray(), 0, 0

    def write(self, data: bytes) -> None:
        self.pending += data
        self.size += len(data)
        while len(self.pending) > RECORD:
            self._record(bytes(self.pending[:RECORD]), last=False)
            del self.pending[:RECORD]

    def _record(self, plain: bytes, *, last: bool) -> None:
        sealed = self.key.encrypt(plain, _aad(self.header, self.counter, last))
        self.out.write(len(sealed).to_bytes(4, "big") + sealed)
        self.counter += 1

    def close(self) -> None:
        self._record(bytes(self.pending), last=True)
        self.pending.clear()


def decrypt_chunks(path):
    """The plaintext of an encrypted file, record by record; TamperedError if it does not open."""
    from .services import key_by_number

    damaged = _("加密文件已被篡改、截断或损坏")
    with open(path, "rb") as f:
        header = f.read(len(MAGIC) + 4)
        if len(header) != len(MAGIC) + 4 or not header.startswith((MAGIC, BACKUP_MAGIC)):
            raise keys.TamperedError(damaged)
        number = int.from_bytes(header[len(MAGIC) :], "big")
        if header.startswith(BACKUP_MAGIC):
            size = f.read(2)
            wrapped = f.read(int.from_bytes(size, "big")) if len(size) == 2 else b""
            header += size + wrapped
            key = keys.DataKey(keys.unwrap(wrapped), number=number)  # MasterKeyError: another master key
        else:
            key = key_by_number(number)
        counter = 0
        while True:
            size = f.read(4)
            if len(size) != 4:
                raise keys.TamperedError(damaged)  # no last record: cut short
            sealed = f.read(int.from_bytes(size, "big"))
            try:
                plain = key.decrypt(sealed, _aad(header, counter, False))
                last = False
            except keys.TamperedError:
                plain = key.decrypt(sealed, _aad(header, counter, True))  # raises if neither
                last = True
            yield plain
            counter += 1
            if last:
                if f.read(1):
                    raise keys.TamperedError(damaged)  # bytes after the last record
                return


def backup_writer(out) -> Writer:
    """A Writer for a backup archive: a new data key, carried wrapped in the header."""
    secret = keys.new_data_key()
    return Writer(out, keys.DataKey(secret), wrapped=keys.wrap(secret))


def is_backup(path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(BACKUP_MAGIC)) == BACKUP_MAGIC


def decrypt_to(path, target) -> None:
    """Decrypt path into target (mode 0600) whole; TamperedError before the end if it does not
    open, so nothing is used of a damaged file."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in decrypt_chunks(path):
            out.write(chunk)


def encrypt_chunks(chunks, path) -> int:
    """Write chunks encrypted to path (mode 0600); the plaintext size."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        writer = Writer(out)
        for chunk in chunks:
            writer.write(chunk)
        writer.close()
    return writer.size


def temp_dir() -> Path:
    path = Path(getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or tempfile.gettempdir())
    path.mkdir(parents=True, exist_ok=True)
    return path


class EncryptedUploadedFile(UploadedFile):
    """An upload whose bytes are on disk encrypted only; chunks() decrypts as it reads."""

    def __init__(self, name, content_type, charset, content_type_extra=None):
        self.encrypted_path = temp_dir() / f"upload-{uuid.uuid4().hex}.enc"
        self._out = open(self.encrypted_path, "wb")  # closed in finish()
        os.chmod(self.encrypted_path, 0o600)
        self._writer = Writer(self._out)
        super().__init__(None, name, content_type, 0, charset, content_type_extra)

    def append(self, data: bytes) -> None:
        self._writer.write(data)

    def finish(self) -> None:
        self._writer.close()
        self._out.close()
        self.size = self._writer.size

    def chunks(self, chunk_size=None):
        yield from decrypt_chunks(self.encrypted_path)

    def multiple_chunks(self, chunk_size=None):
        return True

    def open(self, mode=None):
        return self

    def close(self):
        remove(self.encrypted_path)  # the request is over: an upload nobody kept is deleted

    def __del__(self):
        with contextlib.suppress(Exception):
            if not self._out.closed:
                self._out.close()
            remove(self.encrypted_path)


class EncryptedFileUploadHandler(FileUploadHandler):
    """Django's TemporaryFileUploadHandler, but the temporary file is encrypted as it is written."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = EncryptedUploadedFile(self.file_name, self.content_type, self.charset, self.content_type_extra)

    def receive_data_chunk(self, raw_data, start):
        self.file.append(raw_data)

    def file_complete(self, file_size):
        self.file.finish()
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            remove(self.file.encrypted_path)


def store(upload, path) -> int:
    """Keep upload at path, encrypted; the plaintext size. A handler's encrypted file is moved
    (never decrypted); a small upload held in memory is encrypted as it is written."""
    path = Path(path)
    if isinstance(upload, EncryptedUploadedFile):
        os.replace(upload.encrypted_path, path)
        return upload.size
    return encrypt_chunks(upload.chunks(), path)


@contextlib.contextmanager
def plaintext(path):
    """A path to the decrypted bytes of path, in an unlinked temporary file (see the module doc)."""
    with tempfile.TemporaryFile(dir=temp_dir(), prefix="plain-") as f:
        for chunk in decrypt_chunks(path):
            f.write(chunk)
        f.flush()
        yield f"/proc/self/fd/{f.fileno()}"


def remove(path) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)
