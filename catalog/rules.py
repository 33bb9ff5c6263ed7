"""Validation rules of the catalog (docs/features.md C3), with the article each one comes from.

validate_content() returns {field: [messages]} so forms, the API and services give the same
Chinese messages; an empty dict means the content is valid.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import BaseKind, Category, DeliveryMode, ItemType, OpenType, ShareType
from protection.grading.constants import GradeCategory
from protection.grading.selectors import level_numbers

ITEM_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Names the datastore uses itself.
RESERVED_KEYS = {"_row", "oid", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"}

CONTENT_FIELDS = [
    "name",
    "summary",
    "category",
    "base_kind",
    "theme",
    "data_format",
    "update_frequency",
    "share_type",
    "share_condition",
    "share_modes",
    "share_method",
    "usage_requirements",
    "open_type",
    "open_condition",
    "legal_basis",
    "related_codes",
    "change_note",
    "grade_level",
    "grade_category",
]
# The grade the officer proposes (Lhasa art. 39 分级分类管理); the bureau reviewer confirms it.
GRADE_FIELDS = ("grade_level", "grade_category")


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


def validate_content(data: dict) -> dict[str, list[str]]:
    """The C3 rules on an entry's content (a dict of CONTENT_FIELDS)."""
    errors: dict[str, list[str]] = {}
    category, share_type, open_type = data.get("category"), data.get("share_type"), data.get("open_type")
    legal_basis = (data.get("legal_basis") or "").strip()

    if not (data.get("name") or "").strip():
        _add(errors, "name", _("请填写资源名称。"))
    if not (data.get("summary") or "").strip():
        _add(errors, "summary", _("请填写资源摘要。"))

    # Lhasa art. 10(2): base data (人口, 法人, 自然资源和空间地理, 电子证照) is shared unconditionally.
    if category == Category.BASE:
        if data.get("base_kind") not in BaseKind.values:
            _add(errors, "base_kind", _("基础信息资源须选择类别：人口、法人、自然资源和空间地理或电子证照。"))
        if share_type != ShareType.UNCONDITIONAL:
            _add(
                errors,
                "share_type",
                _("基础信息资源（人口、法人、自然资源和空间地理、电子证照）必须为无条件共享（拉萨办法第十条）。"),
            )
    elif data.get("base_kind"):
        _add(errors, "base_kind", _("只有基础信息资源才能选择基础资源类别。"))

    # Lhasa art. 10(1), Tongren art. 26: conditional and not-shared data need a legal basis.
    if share_type in (ShareType.CONDITIONAL, ShareType.NOT_SHARED) and not legal_basis:
        _add(errors, "legal_basis", _("有条件共享和不予共享的资源必须填写法律、行政法规或国家政策依据。"))

    # Lhasa art. 9: conditional sharing states its conditions and the ways the data may be used.
    modes = list(data.get("share_modes") or [])
    if any(m not in DeliveryMode.values for m in modes):
        _add(errors, "share_modes", _("共享方式只能是查阅、比对、统计或获取。"))
    if share_type == ShareType.CONDITIONAL:
        if not (data.get("share_condition") or "").strip():
            _add(
                errors,
                "share_condition",
                _("有条件共享的资源必须写明共享条件（可提供的部门、用途或查阅、比对、统计等方式）。"),
            )
        if not modes:
            _add(errors, "share_modes", _("有条件共享的资源至少选择一种可共享方式。"))
    if share_type == ShareType.NOT_SHARED and modes:
        _add(errors, "share_modes", _("不予共享的资源不能设置共享方式。"))

    # Lhasa art. 8(3): not-shared data may not even be seen by other departments: never opened.
    if share_type == ShareType.NOT_SHARED and open_type != OpenType.NOT_OPEN:
        _add(errors, "open_type", _("不予共享的资源不能向社会开放，开放类型只能为不予开放。"))
    for message in _grade_errors(data):
        _add(errors, "grade_level", message)
    # Tongren art. 29, Hechi art. 32: restricted opening publishes its basis.
    if open_type in (OpenType.ON_APPLICATION, OpenType.NOT_OPEN) and not (
        (data.get("open_condition") or "").strip() or legal_basis
    ):
        _add(errors, "open_condition", _("依申请开放和不予开放的资源必须写明开放条件或限制开放的依据。"))
    return errors


def validate_items(items: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Data items: at least one; keys are identifiers, unique; names unique; types known."""
    errors: dict[str, list[str]] = {}
    if not items:
        _add(errors, "items", _("至少需要一个信息项。"))
        return errors
    keys, names = set(), set()
    for position, item in enumerate(items, start=1):
        key, name = (item.get("key") or "").strip(), (item.get("name") or "").strip()
        label = name or str(position)
        if not ITEM_KEY_RE.match(key) or key in RESERVED_KEYS:
            _add(
                errors,
                "items",
                _("信息项「%(n)s」的字段代码无效：须以小写字母开头，只含小写字母、数字和下划线，最长 63 位。")
                % {"n": label},
            )
        if not name:
            _add(errors, "items", _("第 %(p)d 个信息项缺少名称。") % {"p": position})
        if key in keys:
            _add(errors, "items", _("字段代码「%(k)s」重复。") % {"k": key})
        if name and name in names:
            _add(errors, "items", _("信息项名称「%(n)s」重复。") % {"n": name})
        if item.get("type") not in ItemType.values:
            _add(errors, "items", _("信息项「%(n)s」的数据类型无效。") % {"n": label})
        length = item.get("length")
        if length is not None and (not isinstance(length, int) or length <= 0 or length > 100000):
            _add(errors, "items", _("信息项「%(n)s」的长度必须是 1 到 100000 之间的整数。") % {"n": label})
        keys.add(key)
        names.add(name)
    levels: set[int] = set()
    for position, item in enumerate(items, start=1):
        for message in _grade_errors(item, levels):
            _add(
                errors,
                "items",
                _("信息项「%(n)s」：%(m)s") % {"n": (item.get("name") or "").strip() or position, "m": message},
            )
    return errors


def _grade_errors(data: dict, levels: set[int] | None = None) -> list[str]:
    """Lhasa art. 39: a proposed grade is one of the bureau's levels and one of the GB/T 43697 categories.
    ``levels``: the known level numbers, read once (filled here when empty)."""
    errors = []
    level = data.get("grade_level")
    if level not in (None, "") and not levels:
        levels = levels if levels is not None else set()
        levels.update(level_numbers())
    if level not in (None, "") and (not isinstance(level, int) or level not in levels):
        errors.append(_("数据分级必须是已设定的级别之一。"))
    if (data.get("grade_category") or GradeCategory.GENERAL) not in GradeCategory.values:
        errors.append(_("数据分类只能是一般数据、重要数据或核心数据。"))
    return errors


def normalise_content(data: dict) -> dict:
    """Derived values: unconditional sharing allows every mode; not-shared none."""
    data = dict(data)
    if data.get("grade_level") == "":
        data["grade_level"] = None
    if "grade_category" in data and not data["grade_category"]:
        data["grade_category"] = GradeCategory.GENERAL
    if data.get("share_type") == ShareType.UNCONDITIONAL:
        data["share_modes"] = list(DeliveryMode.values)
    elif data.get("share_type") == ShareType.NOT_SHARED:
        data["share_modes"] = []
    if data.get("category") != Category.BASE:
        data["base_kind"] = ""
    return data
