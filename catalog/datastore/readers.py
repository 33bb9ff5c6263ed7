"""Reading uploaded files row by row, with constant memory.

``open_source(path, filename)`` picks the reader by the file name's extension and returns a
``Source`` whose ``rows`` yields ``(line, cells)`` pairs: ``line`` is the line (CSV) or row
(XLSX) number the user sees, counting from 1; ``cells`` a list of ``str`` (CSV) or of the
values openpyxl read (XLSX: str, int, float, bool, datetime, None). The header comes first.

Whatever makes a file unreadable as a whole raises ``FileRejected`` with a Chinese reason:
unsupported type, unknown encoding, NUL bytes, a line or cell over its limit, a damaged or
oversized (zip bomb) XLSX.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .limits import limit

CHUNK = 64 * 1024
UTF8_BOM = codecs.BOM_UTF8
_HIGH_BYTES = bytes(range(0x80, 0x100))
# A file that decoded as UTF-8 for this many non-ASCII bytes before failing is a damaged UTF-8
# file, not a GBK one (GBK text stops looking like UTF-8 within a character or two).
_UTF8_EVIDENCE = 48


class FileRejected(Exception):
    """The file as a whole cannot be loaded; ``line`` 0 means no particular line."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class Source:
    kind: str  # "csv" or "xlsx"
    encoding: str | None
    rows: Iterator[tuple[int, list]]
    _close: list = field(default_factory=list)

    def close(self):
        for close in self._close:
            close()
        self._close.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def open_source(path, filename: str) -> Source:
    path = Path(path)
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        if suffix in (".xls", ".et", ".ods", ".numbers", ".xlsm", ".xlsb"):
            raise FileRejected(_("不支持 %(suffix)s 文件，请另存为 .xlsx 或 CSV 后上传") % {"suffix": suffix})
        raise FileRejected(_("不支持的文件类型，请上传 CSV（.csv）或 Excel（.xlsx）文件"))
    size = path.stat().st_size
    if size > limit("MAX_FILE_SIZE"):
        raise FileRejected(
            _("文件大小 %(size)s MB，超过上限 %(limit)s MB")
            % {"size": _mib(size), "limit": _mib(limit("MAX_FILE_SIZE"))}
        )
    if size == 0:
        raise FileRejected(_("文件为空"))
    if suffix == ".csv":
        encoding = detect_encoding(path)
        return Source("csv", encoding, _csv_rows(path, encoding))
    workbook, handle = _open_workbook(path)
    return Source("xlsx", None, _xlsx_rows(workbook), [workbook.close, handle.close])


# ---------------------------------------------------------------------------------------------
# CSV


def detect_encoding(path) -> str:
    """ "utf-8-sig", "utf-8" or "gb18030" (a superset of GBK and GB2312), by decoding the whole
    file strictly in chunks: UTF-8 first, GB18030 if UTF-8 fails. NUL bytes are refused."""
    with open(path, "rb") as f:
        head = f.read(8)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(_("不支持 UTF-16 编码的文件，请另存为 UTF-8 或 GBK 编码的 CSV"))
        if head.startswith(b"PK\x03\x04"):
            raise FileRejected(_("该文件是压缩包或 Excel（.xlsx）文件，不是 CSV 文件"))
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileRejected(_("该文件是旧版 Excel（.xls）或其他 Office 文件，不是 CSV 文件"))
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        utf8_ok, evidence, failed_line = True, 0, 0
        line = 1
        while chunk := f.read(CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise FileRejected(
                    _("文件含有空字符（NUL），可能是二进制文件而不是 CSV 文本文件"), line + chunk.count(b"\n", 0, nul)
                )
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                    evidence += len(chunk) - len(chunk.translate(None, _HIGH_BYTES))
                except UnicodeDecodeError as exc:
                    utf8_ok = False
                    start = max(0, min(exc.start, len(chunk)))
                    evidence += start - len(chunk[:start].translate(None, _HIGH_BYTES))
                    failed_line = line + chunk.count(b"\n", 0, start)
            line += chunk.count(b"\n")
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok, failed_line = False, line
        if utf8_ok:
            f.seek(0)
            return "utf-8-sig" if f.read(3) == UTF8_BOM else "utf-8"
        if evidence >= _UTF8_EVIDENCE or head.startswith(UTF8_BOM):
            raise FileRejected(_("文件是 UTF-8 编码，但含有无效的字节，可能已损坏"), failed_line)
        f.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")("strict")
        line = 1
        try:
            while chunk := f.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    line += chunk.count(b"\n", 0, max(0, min(exc.start, len(chunk))))
                    raise
                line += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRejected(
                _("无法识别文件编码：文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本，可能是二进制文件"), line
            ) from None
        return "gb18030"


def _bounded_lines(stream, max_line: int):
    """The lines of a text stream, refusing one longer than max_line before reading it whole."""
    number = 0
    while line := stream.readline(max_line + 1):
        number += 1
        if len(line) > max_line:
            raise FileRejected(_("该行超过 %(limit)s 个字符，文件不能读取") % {"limit": max_line}, number)
        yield line


def _csv_rows(path, encoding: str):
    max_field = limit("MAX_FIELD_SIZE")
    # csv.field_size_limit is process-wide: only ever raise it (a lower limit is checked below).
    if csv.field_size_limit() < max_field:
        csv.field_size_limit(max_field)
    with open(path, encoding=encoding, errors="strict", newline="") as stream:
        reader = csv.reader(_bounded_lines(stream, limit("MAX_LINE_SIZE")), strict=False)
        previous = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # reported on the line where the record starts
                if "field limit" in str(exc):
                    raise FileRejected(_too_big(max_field), previous + 1) from None
                raise FileRejected(_("CSV 格式错误：%(error)s") % {"error": exc}, previous + 1) from None
            line, previous = previous + 1, reader.line_num
            if cells and max(map(len, cells)) > max_field:
                raise FileRejected(_too_big(max_field), line)
            yield line, cells


def _too_big(max_field: int) -> str:
    return _("单元格超过 %(limit)s 个字符（或引号未闭合），文件不能读取") % {"limit": max_field}


# ---------------------------------------------------------------------------------------------
# XLSX


def check_xlsx_archive(path, *, max_uncompressed: int | None = None) -> None:
    """Refuse an XLSX that is not a zip, or whose members would unpack to absurd sizes
    (a zip bomb), before anything is decompressed. The sizes are the ones the archive
    declares; Python's zipfile never returns more than the declared size of a member.
    max_uncompressed: a smaller limit than MAX_XLSX_UNCOMPRESSED for this caller (the
    catalog import, SECURITY.md 14.7)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRejected(_("不是有效的 Excel（.xlsx）文件，文件可能已损坏或已加密")) from None
    if len(infos) > limit("MAX_XLSX_MEMBERS"):
        raise FileRejected(_("Excel 文件结构异常（包含的部件过多），已拒绝"))
    total = sum(info.file_size for info in infos)
    most = limit("MAX_XLSX_UNCOMPRESSED")
    if max_uncompressed is not None:
        most = min(most, max_uncompressed)
    if total > most:
        raise FileRejected(
            _("Excel 文件解压后为 %(size)s MB，超过上限 %(limit)s MB，已拒绝")
            % {"size": _mib(total), "limit": _mib(most)}
        )
    ratio = limit("MAX_XLSX_RATIO")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
            raise FileRejected(_("Excel 文件的压缩比异常（疑似压缩炸弹），已拒绝"))
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > limit("MAX_XLSX_SHARED_STRINGS"):
            raise FileRejected(_("Excel 文件的文本内容过多，请另存为 CSV 后上传"))


def _open_workbook(path):
    """(workbook, file): openpyxl reads from a file object, since it refuses a path without an
    .xlsx extension and an upload is read through /proc/self/fd/N (protection.encryption.files)."""
    check_xlsx_archive(path)
    import openpyxl

    handle = open(path, "rb")  # closed with the Source
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        handle.close()
        raise FileRejected(_("无法读取 Excel 文件，文件可能已损坏")) from None
    if not workbook.worksheets:
        workbook.close()
        handle.close()
        raise FileRejected(_("Excel 文件中没有工作表"))
    return workbook, handle


def _xlsx_rows(workbook):
    sheet = workbook.worksheets[0]
    # Do not trust the declared dimensions (they make openpyxl pad every row to them).
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)  # missing rows come as (), so numbering holds
    line = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - damaged XML inside the archive
            raise FileRejected(_("无法读取 Excel 文件，文件可能已损坏"), line + 1) from None
        line += 1
        yield line, cells
