"""Building blocks for catalog tests: valid content and items, entries in any state."""

from catalog.services import entries
from portal.roles import Role
from tests.factories import user_with_role


def content(**overrides):
    data = {
        "name": "企业营业执照信息",
        "summary": "企业登记信息",
        "category": "department",
        "base_kind": "",
        "theme": "市场监管",
        "data_format": "database",
        "update_frequency": "daily",
        "share_type": "unconditional",
        "share_condition": "",
        "share_modes": [],
        "share_method": "api",
        "usage_requirements": "",
        "open_type": "unconditional",
        "open_condition": "",
        "legal_basis": "",
        "related_codes": [],
        "change_note": "",
    }
    data.update(overrides)
    return data


def items():
    return [
        {"key": "uscc", "name": "统一社会信用代码", "type": "uscc", "length": 18, "required": True, "sensitive": False},
        {"key": "company_name", "name": "企业名称", "type": "string", "length": 200, "required": True},
        {"key": "established", "name": "成立日期", "type": "date"},
    ]


def draft(officer, **overrides):
    return entries.entry_create(
        actor=officer, department=officer.department, content=content(**overrides), items=items()
    )


def published(officer, reviewer=None, **overrides):
    reviewer = reviewer or user_with_role(Role.BUREAU_REVIEWER)
    entry = draft(officer, **overrides)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entry.refresh_from_db()
    return entry


def import_workbook(names=("导入的资源",)) -> bytes:
    """A workbook in the exported layout (catalog.exchange) with one valid resource row per name."""
    import io

    from openpyxl import Workbook

    from catalog.exchange import HEADERS, ITEM_HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    values = {
        "信息资源分类": "department",
        "信息资源摘要": "导入的摘要",
        "更新周期": "daily",
        "共享类型": "unconditional",
        "开放类型": "unconditional",
    }
    for name in names:
        sheet.append([name if h == "信息资源名称" else values.get(h) for h in HEADERS])
    items = book.create_sheet("信息项")
    items.append(ITEM_HEADERS)
    for name in names:
        items.append(["", name, "企业名称", "company_name", "string", 200, "是", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def catalog_import(officer, names=("导入的资源",)):
    """A finished import of the officer's department (the catalog import service, SECURITY.md 14.7)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog.services import imports

    return imports.import_start(
        actor=officer, department=officer.department, upload=SimpleUploadedFile("目录.xlsx", import_workbook(names))
    )
