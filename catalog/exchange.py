"""Export of the catalog, and the layout its import reads (docs/features.md C6): CSV and Excel in the national
field order of the 政务信息资源目录编制指南 (classification, name, code, provider, provider code, summary, format,
items, share type / condition / method, open type / condition, update cycle, publish date,
related resources), the portal's own fields after them; a plain DCAT JSON-LD fallback (DCAT-AP: interop.dcat).
The import of this layout is catalog.exchange_import (reading) and catalog.services.imports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from catalog.datastore.sql import FORMULA_STARTS
from catalog.models import (
    BaseKind,
    Category,
    DataFormat,
    DeliveryMode,
    EntryVersion,
    ItemType,
    OpenType,
    ShareMethod,
    ShareType,
    UpdateFrequency,
)
from protection.grading.selectors import grade_label
from protection.grading.services import entry_grade

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
# Lhasa art. 39 分级分类管理 (docs/grading.md): the export adds each entry's effective grade and whether
# the bureau confirmed it after the columns the import reads (an exported file still imports).
GRADE_HEADERS = ["数据分级", "分级状态"]
EXPORT_HEADERS = HEADERS + GRADE_HEADERS
ITEM_HEADERS = ["信息资源代码", "信息资源名称", "信息项名称", "字段代码", "数据类型", "长度", "必填", "敏感", "说明"]
# each item's grade after the columns of the national layout (the import reads it back as a proposal)
ITEM_GRADE_HEADER = "数据分级"
# Shown for a not-shared entry of another department: that it exists and who holds it.
PUBLIC_OF_HIDDEN = {"name", "code", "department", "department_uscc", "share_type", "category", "publish_date", "number"}
# SECURITY.md 14.16: the datastore's list (= + - @ and, as OWASP lists them, tab and carriage return), one
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
        if item.grade_level or item.grade_category != "general":
            flags.append(grade_label(item.grade_level, item.grade_category))
        parts.append(f"{item.name}({item.key},{','.join(flags)})")
    return "; ".join(parts)


def row_for(version: EntryVersion, *, details: bool) -> list:
    entry = version.entry
    values = []
    for _header, field, choices in COLUMNS:
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
    return values + (_grade_cells(version) if details else ["", ""])


def _grade_cells(version: EntryVersion) -> list:
    grade = entry_grade(version)
    return [grade_label(grade.level, grade.category), _("已确认") if grade.confirmed else _("待确认")]


def write_csv(rows: Iterable[list], out) -> None:
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow(row)


def write_xlsx(versions_with_details: Iterable[tuple[EntryVersion, bool]]) -> bytes:
    workbook = Workbook(write_only=True)
    main = workbook.create_sheet(_("资源目录"))
    items = workbook.create_sheet(_("信息项"))
    main.append(EXPORT_HEADERS)
    items.append([*ITEM_HEADERS, ITEM_GRADE_HEADER])
    for version, details in versions_with_details:
        main.append(row_for(version, details=details))
        if details:
            for item in version.items.all():
                items.append(
                    [
                        version.entry.code,
                        _safe(version.name),
                        _safe(item.name),
                        item.key,
                        str(ItemType(item.type).label),
                        item.length or "",
                        _("是") if item.required else "",
                        _("是") if item.sensitive else "",
                        _safe(item.description),
                        grade_label(item.grade_level, item.grade_category),
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _dcat_grade(version: EntryVersion) -> dict:
    """The grade as a dct:RightsStatement (Lhasa art. 39; GB/T 43697 category and level), beside the share type."""
    grade = entry_grade(version)
    return {
        "dct:rights": {
            "@type": "dct:RightsStatement",
            "rdfs:label": grade_label(grade.level, grade.category),
            "dct:type": str(grade.category),
            "portal:gradeLevel": grade.level,
            "portal:gradeConfirmed": grade.confirmed,
        }
    }


def dcat(versions: Iterable[EntryVersion], *, base_url: str, title: str) -> dict:
    """The published catalog as a plain DCAT JSON-LD: only the fallback of catalog.exports when interop.dcat
    is not installed. Not DCAT-AP (strings where DCAT-AP wants IRIs, tests/interop/dcat shows it fails the
    shapes); the portal's export is interop.dcat's (DCAT-AP 3.0, registered in catalog.exports.DCAT_WRITER)."""
    datasets = []
    for version in versions:
        entry = version.entry
        dataset = {
            "@id": f"{base_url}/catalog/{entry.pk}/",
            "@type": "dcat:Dataset",
            "dct:identifier": entry.code,
            "dct:title": version.name,
            "dct:publisher": {
                "@type": "foaf:Organization",
                "foaf:name": entry.department.name,
                "dct:identifier": entry.department.uscc,
            },
            "dct:issued": version.publish_date.isoformat() if version.publish_date else None,
            "dct:accessRights": str(ShareType(version.share_type).label),
            **_dcat_grade(version),
            "dct:accrualPeriodicity": str(UpdateFrequency(version.update_frequency).label),
            "dct:hasVersion": str(version.number),
        }
        if version.share_type != ShareType.NOT_SHARED:
            dataset.update(
                {
                    "dct:description": version.summary,
                    "dcat:theme": version.theme or str(Category(version.category).label),
                    "dcat:keyword": [i.name for i in version.items.all()],
                    "dct:format": str(DataFormat(version.data_format).label),
                    "dct:conformsTo": version.legal_basis or None,
                }
            )
        datasets.append({k: v for k, v in dataset.items() if v not in (None, "", [])})
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "portal": f"{base_url}/ns#",
        },
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dcat:dataset": datasets,
    }
