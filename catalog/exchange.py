"""Export and import of the catalog (spec C6): CSV and Excel in the national field order of the
政务信息资源目录编制指南 (classification, name, code, provider, provider code, summary, format,
items, share type / condition / method, open type / condition, update cycle, publish date,
related resources), the portal's own fields after them; DCAT JSON-LD of the published catalog.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from catalog import rules
from catalog.datastore.sql import FORMULA_STARTS
from catalog.models import (BaseKind, Category, DataFormat, DeliveryMode, EntryVersion, ItemType, OpenType, ShareMethod,
                            ShareType, UpdateFrequency)
from portal.errors import DomainError

# (header, version field or callable, choices for import)
COLUMNS = [
    ("信息资源分类", "category", Category),
    ("信息资源名称", "name", None),
    ("信息资源代码", "code", None),
    ("信息资源提供方", "department", None),
    ("信息资源提供方代码", "department_uscc", None),
    ("信息资源摘要", "summary", None),
    ("信息资源格式", "data_format", DataFormat),
    ("信息项", "items", None),
    ("共享类型", "share_type", ShareType),
    ("共享条件", "share_condition", None),
    ("共享方式", "share_method", ShareMethod),
    ("开放类型", "open_type", OpenType),
    ("开放条件", "open_condition", None),
    ("更新周期", "update_frequency", UpdateFrequency),
    ("发布日期", "publish_date", None),
    ("关联资源代码", "related_codes", None),
    ("基础资源类别", "base_kind", BaseKind),
    ("主题", "theme", None),
    ("可共享方式", "share_modes", DeliveryMode),
    ("使用要求", "usage_requirements", None),
    ("法律依据", "legal_basis", None),
    ("版本", "number", None),
]
HEADERS = [c[0] for c in COLUMNS]
ITEM_HEADERS = ["信息资源代码", "信息资源名称", "信息项名称", "字段代码", "数据类型", "长度", "必填", "敏感", "说明"]
# Shown for a not-shared entry of another department: that it exists and who holds it.
PUBLIC_OF_HIDDEN = {"name", "code", "department", "department_uscc", "share_type", "category", "publish_date",
                    "number"}
# Issue 14.16: the datastore's list (= + - @ and, as OWASP lists them, tab and carriage return), one
# guard for the catalog export and the data downloads.
FORMULA_PREFIXES = FORMULA_STARTS


def _label(choices, value):
    if isinstance(value, list):
        return "、".join(str(choices(v).label) for v in value if v in choices.values)
    return str(choices(value).label) if value in choices.values else (value or "")


def _safe(value):
    """Neutralise spreadsheet formulas (a cell starting with = + - @, tab or carriage return)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _items_text(version) -> str:
    parts = []
    for item in version.items.all():
        flags = [str(ItemType(item.type).label)]
        if item.length:
            flags.append(str(item.length))
        if item.required:
            flags.append(_("必填"))
        if item.sensitive:
            flags.append(_("敏感"))
        parts.append(f"{item.name}({item.key},{','.join(flags)})")
    return "; ".join(parts)


def row_for(version: EntryVersion, *, details: bool) -> list:
    entry = version.entry
    values = []
    for header, field, choices in COLUMNS:
        if not details and field not in PUBLIC_OF_HIDDEN:
            values.append("")
            continue
        if field == "code":
            value = entry.code
        elif field == "department":
            value = entry.department.name
        elif field == "department_uscc":
            value = entry.department.uscc
        elif field == "items":
            value = _items_text(version)
        elif field == "publish_date":
            value = version.publish_date.isoformat() if version.publish_date else ""
        elif field == "related_codes":
            value = " ".join(version.related_codes or [])
        elif choices is not None:
            value = _label(choices, getattr(version, field))
        else:
            value = getattr(version, field)
        values.append(_safe(value))
    return values


def write_csv(rows: Iterable[list], out) -> None:
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row)


def write_xlsx(versions_with_details: Iterable[tuple[EntryVersion, bool]]) -> bytes:
    workbook = Workbook(write_only=True)
    main = workbook.create_sheet(_("资源目录"))
    items = workbook.create_sheet(_("信息项"))
    main.append(HEADERS)
    items.append(ITEM_HEADERS)
    for version, details in versions_with_details:
        main.append(row_for(version, details=details))
        if details:
            for item in version.items.all():
                items.append([version.entry.code, _safe(version.name), _safe(item.name), item.key,
                              str(ItemType(item.type).label), item.length or "", _("是") if item.required else "",
                              _("是") if item.sensitive else "", _safe(item.description)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dcat(versions: Iterable[EntryVersion], *, base_url: str, title: str) -> dict:
    """The published catalog as a DCAT catalog in JSON-LD."""
    datasets = []
    for version in versions:
        entry = version.entry
        dataset = {
            "@id": f"{base_url}/catalog/{entry.pk}/",
            "@type": "dcat:Dataset",
            "dct:identifier": entry.code,
            "dct:title": version.name,
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": entry.department.name,
                              "dct:identifier": entry.department.uscc},
            "dct:issued": version.publish_date.isoformat() if version.publish_date else None,
            "dct:accessRights": str(ShareType(version.share_type).label),
            "dct:accrualPeriodicity": str(UpdateFrequency(version.update_frequency).label),
            "dct:hasVersion": str(version.number),
        }
        if version.share_type != ShareType.NOT_SHARED:
            dataset.update({
                "dct:description": version.summary,
                "dcat:theme": version.theme or str(Category(version.category).label),
                "dcat:keyword": [i.name for i in version.items.all()],
                "dct:format": str(DataFormat(version.data_format).label),
                "dct:conformsTo": version.legal_basis or None,
            })
        datasets.append({k: v for k, v in dataset.items() if v not in (None, "", [])})
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dcat:dataset": datasets,
    }


# --- import -------------------------------------------------------------------------------

def _choice(choices, raw, header, errors, multiple=False):
    raw = ("" if raw is None else str(raw)).strip()
    if not raw:
        return [] if multiple else ""
    by_label = {str(label): value for value, label in choices.choices}
    values = []
    for part in ([p for p in raw.replace("，", "、").replace(",", "、").split("、") if p.strip()] if multiple
                 else [raw]):
        part = part.strip()
        if part in choices.values:
            values.append(part)
        elif part in by_label:
            values.append(by_label[part])
        else:
            errors.append(_("「%(h)s」的值「%(v)s」无效") % {"h": header, "v": part})
    return values if multiple else (values[0] if values else "")


def _bool(raw) -> bool:
    return str(raw or "").strip() in ("是", "Y", "y", "true", "True", "1", "必填", "敏感")


def parse_workbook(fileobj) -> tuple[list[dict], dict[str, list[dict]]]:
    """Rows of the catalog sheet (dicts by header) and items by resource name."""
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not XLSX
        raise DomainError(_("无法读取 Excel 文件，请使用导出的模板（.xlsx）。"), code="bad_workbook") from exc
    sheets = workbook.worksheets
    rows = list(sheets[0].iter_rows(values_only=True)) if sheets else []
    if not rows or [str(h or "").strip() for h in rows[0][:len(HEADERS)]] != HEADERS:
        raise DomainError(_("表头与目录导出格式不一致，请使用导出的 Excel 作为模板。"), code="bad_headers")
    entries = [dict(zip(HEADERS, row)) for row in rows[1:] if any(c not in (None, "") for c in row)]
    items: dict[str, list[dict]] = {}
    if len(sheets) > 1:
        item_rows = list(sheets[1].iter_rows(values_only=True))
        if item_rows and [str(h or "").strip() for h in item_rows[0][:len(ITEM_HEADERS)]] == ITEM_HEADERS:
            for row in item_rows[1:]:
                data = dict(zip(ITEM_HEADERS, row))
                if data.get("信息资源名称"):
                    items.setdefault(str(data["信息资源名称"]).strip(), []).append(data)
    workbook.close()
    return entries, items


def import_entries(*, actor, department, fileobj) -> dict:
    """Create a draft entry for each valid row; refuse the others with their reasons (row by row)."""
    from catalog.services.entries import entry_create

    rows, items_by_name = parse_workbook(fileobj)
    created, refused = [], []
    for line, row in enumerate(rows, start=2):
        errors: list[str] = []
        content = {
            "name": str(row.get("信息资源名称") or "").strip(),
            "summary": str(row.get("信息资源摘要") or "").strip(),
            "category": _choice(Category, row.get("信息资源分类"), "信息资源分类", errors),
            "base_kind": _choice(BaseKind, row.get("基础资源类别"), "基础资源类别", errors),
            "theme": str(row.get("主题") or "").strip()[:50],
            "data_format": _choice(DataFormat, row.get("信息资源格式"), "信息资源格式", errors) or DataFormat.DATABASE,
            "update_frequency": _choice(UpdateFrequency, row.get("更新周期"), "更新周期", errors),
            "share_type": _choice(ShareType, row.get("共享类型"), "共享类型", errors),
            "share_condition": str(row.get("共享条件") or "").strip(),
            "share_modes": _choice(DeliveryMode, row.get("可共享方式"), "可共享方式", errors, multiple=True),
            "share_method": _choice(ShareMethod, row.get("共享方式"), "共享方式", errors) or ShareMethod.API,
            "usage_requirements": str(row.get("使用要求") or "").strip(),
            "open_type": _choice(OpenType, row.get("开放类型"), "开放类型", errors) or OpenType.NOT_OPEN,
            "open_condition": str(row.get("开放条件") or "").strip(),
            "legal_basis": str(row.get("法律依据") or "").strip(),
            "related_codes": str(row.get("关联资源代码") or "").split(),
        }
        if not content["update_frequency"]:
            errors.append(_("请填写更新周期"))
        if not content["category"]:
            errors.append(_("请填写信息资源分类"))
        items = []
        for item in items_by_name.get(content["name"], []):
            length = item.get("长度")
            try:
                length = int(length) if length not in (None, "") else None
            except (TypeError, ValueError):
                errors.append(_("信息项「%(n)s」的长度不是整数") % {"n": item.get("信息项名称")})
                length = None
            items.append({"name": str(item.get("信息项名称") or "").strip(), "key": str(item.get("字段代码") or "").strip(),
                          "type": _choice(ItemType, item.get("数据类型"), "数据类型", errors) or ItemType.STRING,
                          "length": length, "required": _bool(item.get("必填")), "sensitive": _bool(item.get("敏感")),
                          "description": str(item.get("说明") or "").strip()[:500]})
        content = rules.normalise_content(content)
        for messages in {**rules.validate_content(content), **rules.validate_items(items)}.values():
            errors.extend(messages)
        if errors:
            refused.append({"line": line, "name": content["name"], "reasons": errors})
            continue
        try:
            with transaction.atomic():
                entry = entry_create(actor=actor, department=department, content=content, items=items)
            created.append({"line": line, "code": entry.code, "name": content["name"]})
        except DomainError as error:
            reasons = [m for ms in error.errors.values() for m in ms] or [str(error.message)]
            refused.append({"line": line, "name": content["name"], "reasons": reasons})
    return {"created": created, "refused": refused}
