"""Reading an import workbook of the catalog (docs/features.md C6): the layout catalog.exchange exports, row by row.

SECURITY.md 14.7: the workbook is checked as an archive before anything is unpacked (the datastore's
zip-bomb guard, catalog.datastore.readers.check_xlsx_archive, with the import's own smaller limit
on the unpacked size), opened read-only (openpyxl streams the sheets' XML; the declared sheet
dimensions are not trusted), and read one row at a time with a cap on the rows of each sheet.
The rows are turned into entry content here; catalog.services.imports creates the entries.

Line numbers are the rows of the sheet as Excel shows them (header = row 1, SECURITY.md 14.21), blank
rows counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from catalog import rules
from catalog.datastore.readers import FileRejected, check_xlsx_archive
from catalog.exchange import GRADE_HEADERS, HEADERS, ITEM_GRADE_HEADER, ITEM_HEADERS
from catalog.models import (
    BaseKind,
    Category,
    DataFormat,
    DataItem,
    DeliveryMode,
    EntryVersion,
    ItemType,
    OpenType,
    ShareMethod,
    ShareType,
    UpdateFrequency,
)
from portal.errors import DomainError
from protection.grading.constants import GradeCategory
from protection.grading.selectors import level_names

EXCEL_MAX_ROWS = 1_048_576  # rows of one sheet in Excel: a sheet claiming more is damaged or hostile
MAX_ITEMS_PER_ENTRY = 500
TEXT_LIMIT = 5000  # characters of a text field without a column limit (the API's limit)


def limits() -> dict:
    """The import's limits (settings.CATALOG_IMPORT, defaults in config/settings/base.py)."""
    defaults = {
        "MAX_BYTES": 10 * 1024 * 1024,
        "MAX_UNCOMPRESSED_BYTES": 50 * 1024 * 1024,
        "MAX_ROWS": 5000,
        "MAX_ITEM_ROWS": 100_000,
        "SYNC_UNCOMPRESSED_BYTES": 1024 * 1024,
        "SYNC_ROWS": 200,
        "RESUME_AFTER_SECONDS": 300,
    }
    return {**defaults, **getattr(settings, "CATALOG_IMPORT", {})}


def refused(reason: str) -> DomainError:
    return DomainError(reason, code="bad_workbook", errors={"file": [reason]})


def unpacked_size(path) -> int:
    """The bytes the workbook unpacks to, after the archive check (DomainError if it is refused)."""
    import zipfile

    try:
        check_xlsx_archive(path, max_uncompressed=limits()["MAX_UNCOMPRESSED_BYTES"])
    except FileRejected as exc:
        raise refused(exc.reason) from None
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


class Workbook:
    """An import workbook opened read-only; use as a context manager."""

    def __init__(self, path):
        from openpyxl import load_workbook

        unpacked_size(path)
        try:
            self.book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a file that is not XLSX
            raise refused(_("无法读取 Excel 文件，请使用导出的模板（.xlsx）。")) from exc
        self.sheets = self.book.worksheets
        for sheet in self.sheets:
            sheet.reset_dimensions()  # declared dimensions would make openpyxl pad every row to them

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.book.close()

    def _rows(self, index: int, width: int, max_rows: int, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """(row number, the first `width` cells) of each non-empty row; the header row comes first."""
        if index >= len(self.sheets):
            return
        counted = 0
        try:
            for line, cells in enumerate(self.sheets[index].iter_rows(max_col=width, values_only=True), start=1):
                if line > EXCEL_MAX_ROWS:
                    raise refused(_("工作表「%(s)s」的行数超过 Excel 的上限。") % {"s": sheet_name})
                if not any(c not in (None, "") for c in cells):
                    continue
                counted += 1
                if counted > max_rows + 1:  # the header is not counted
                    raise refused(
                        _("工作表「%(s)s」超过 %(n)d 行的上限，请分批导入。") % {"s": sheet_name, "n": max_rows}
                    )
                yield line, tuple(cells) + (None,) * (width - len(cells))
        except DomainError:
            raise
        except Exception as exc:  # damaged XML inside the archive
            raise refused(_("无法读取 Excel 文件，文件可能已损坏")) from exc

    def entry_rows(self) -> Iterator[tuple[int, dict]]:
        """(row number, {header: value}) of each resource row of the first sheet, after its header."""
        width = len(HEADERS) + len(GRADE_HEADERS)
        rows = self._rows(0, width, limits()["MAX_ROWS"], _("资源目录"))
        first = next(rows, None)
        header = [_text(h) for h in first[1]] if first is not None else []
        if header[: len(HEADERS)] != HEADERS:
            raise refused(_("表头与目录导出格式不一致，请使用导出的 Excel 作为模板。"))
        # the export's grade columns (数据分级, 分级状态) come back as the officer's proposal
        names = [h for h in header[len(HEADERS) :] if h in GRADE_HEADERS]
        for line, cells in rows:
            yield line, dict(zip(HEADERS + names, cells))

    def items_by_name(self) -> dict[str, list[dict]]:
        """The rows of the second sheet (信息项) by resource name, if it has the exported header."""
        items: dict[str, list[dict]] = {}
        rows = self._rows(1, len(ITEM_HEADERS) + 1, limits()["MAX_ITEM_ROWS"], _("信息项"))
        first = next(rows, None)
        header = [_text(h) for h in first[1]] if first is not None else []
        if header[: len(ITEM_HEADERS)] != ITEM_HEADERS:
            return items
        headers = ITEM_HEADERS + ([ITEM_GRADE_HEADER] if header[len(ITEM_HEADERS)] == ITEM_GRADE_HEADER else [])
        for _line, cells in rows:
            data = dict(zip(headers, cells))
            name = _text(data.get("信息资源名称"))
            if name:
                items.setdefault(name, []).append(data)
        return items

    def count_entry_rows(self, stop_after: int) -> int:
        """Non-empty rows of the first sheet after its header, counting up to stop_after + 1 only."""
        count = -1
        for _row in self._rows(0, len(HEADERS), EXCEL_MAX_ROWS, _("资源目录")):
            count += 1
            if count > stop_after:
                break
        return max(count, 0)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(choices, raw, header, errors, multiple=False):
    raw = _text(raw)
    if not raw:
        return [] if multiple else ""
    by_label = {str(label): value for value, label in choices.choices}
    values = []
    for part in [p for p in raw.replace("，", "、").replace(",", "、").split("、") if p.strip()] if multiple else [raw]:
        part = part.strip()
        if part in choices.values:
            values.append(part)
        elif part in by_label:
            values.append(by_label[part])
        else:
            errors.append(_("「%(h)s」的值「%(v)s」无效") % {"h": header, "v": part[:50]})
    return values if multiple else (values[0] if values else "")


def _grade(raw, what: str, errors) -> dict:
    """A grade as the export writes it ("3 敏感", "3", "敏感", "重要数据") as the officer's proposal
    (Lhasa art. 39: the bureau's reviewer confirms it in the review; an import never confirms a grade).
    {} when the cell is empty."""
    raw = _text(raw)
    if not raw:
        return {}
    categories = {str(label): value for value, label in GradeCategory.choices}
    if raw in categories and categories[raw] != GradeCategory.GENERAL:
        return {"grade_category": categories[raw]}
    names = level_names()
    number, _sep, name = raw.partition(" ")
    if number.isdigit() and int(number) in names and (not name or name == names[int(number)]):
        return {"grade_level": int(number), "grade_category": GradeCategory.GENERAL}
    by_name = {level_name: level for level, level_name in names.items()}
    if raw in by_name:
        return {"grade_level": by_name[raw], "grade_category": GradeCategory.GENERAL}
    errors.append(
        _("「%(w)s」的数据分级「%(v)s」不是已设定的级别（%(l)s）")
        % {"w": what[:50], "v": raw[:50], "l": "、".join(f"{n} {m}" for n, m in sorted(names.items()))}
    )
    return {}


def _bool(raw) -> bool:
    return _text(raw) in ("是", "Y", "y", "true", "True", "1", "必填", "敏感")


def _limited(value, header, limit, errors) -> str:
    text = _text(value)
    if len(text) > limit:
        errors.append(_("「%(h)s」超过 %(n)d 个字符") % {"h": header, "n": limit})
        return text[:limit]
    return text


def _max_length(model, name) -> int:
    return model._meta.get_field(name).max_length or TEXT_LIMIT


@dataclass
class ParsedRow:
    line: int
    content: dict
    items: list[dict]
    errors: list[str] = field(default_factory=list)


def parse_row(line: int, row: dict, items_by_name: dict[str, list[dict]]) -> ParsedRow:
    """The content and items of one resource row, and what is wrong with them (C3 rules included)."""
    errors: list[str] = []

    def text(header, name, model=EntryVersion):
        return _limited(row.get(header), header, _max_length(model, name), errors)

    content = {
        "name": text("信息资源名称", "name"),
        "summary": text("信息资源摘要", "summary"),
        "category": _choice(Category, row.get("信息资源分类"), "信息资源分类", errors),
        "base_kind": _choice(BaseKind, row.get("基础资源类别"), "基础资源类别", errors),
        "theme": _text(row.get("主题"))[:50],
        "data_format": _choice(DataFormat, row.get("信息资源格式"), "信息资源格式", errors) or DataFormat.DATABASE,
        "update_frequency": _choice(UpdateFrequency, row.get("更新周期"), "更新周期", errors),
        "share_type": _choice(ShareType, row.get("共享类型"), "共享类型", errors),
        "share_condition": text("共享条件", "share_condition"),
        "share_modes": _choice(DeliveryMode, row.get("可共享方式"), "可共享方式", errors, multiple=True),
        "share_method": _choice(ShareMethod, row.get("共享方式"), "共享方式", errors) or ShareMethod.API,
        "usage_requirements": text("使用要求", "usage_requirements"),
        "open_type": _choice(OpenType, row.get("开放类型"), "开放类型", errors) or OpenType.NOT_OPEN,
        "open_condition": text("开放条件", "open_condition"),
        "legal_basis": text("法律依据", "legal_basis"),
        "related_codes": _text(row.get("关联资源代码")).split()[:50],
        **_grade(row.get(GRADE_HEADERS[0]), _text(row.get("信息资源名称")) or _("资源"), errors),
    }
    if any(len(code) > 40 for code in content["related_codes"]):
        errors.append(_("关联资源代码过长"))
    if not content["update_frequency"]:
        errors.append(_("请填写更新周期"))
    if not content["category"]:
        errors.append(_("请填写信息资源分类"))
    rows = items_by_name.get(content["name"], [])
    if len(rows) > MAX_ITEMS_PER_ENTRY:
        errors.append(_("信息项超过 %(n)d 个") % {"n": MAX_ITEMS_PER_ENTRY})
        rows = rows[:MAX_ITEMS_PER_ENTRY]
    items = []
    for item in rows:
        length = item.get("长度")
        try:
            length = int(length) if length not in (None, "") else None
            if length is not None and not 1 <= length <= 100_000:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("信息项「%(n)s」的长度不是整数") % {"n": _text(item.get("信息项名称"))[:50]})
            length = None
        items.append(
            {
                "name": _limited(item.get("信息项名称"), "信息项名称", _max_length(DataItem, "name"), errors),
                "key": _limited(item.get("字段代码"), "字段代码", _max_length(DataItem, "key"), errors),
                "type": _choice(ItemType, item.get("数据类型"), "数据类型", errors) or ItemType.STRING,
                "length": length,
                "required": _bool(item.get("必填")),
                "sensitive": _bool(item.get("敏感")),
                "description": _text(item.get("说明"))[:500],
                **_grade(item.get(ITEM_GRADE_HEADER), _text(item.get("信息项名称")) or _("信息项"), errors),
            }
        )
    content = rules.normalise_content(content)
    for messages in {**rules.validate_content(content), **rules.validate_items(items)}.values():
        errors.extend(messages)
    return ParsedRow(line=line, content=content, items=items, errors=errors)
