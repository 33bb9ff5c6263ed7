"""The grade suggested for a data item from its type, code and name (shown, never applied by itself).

The officer proposes and the bureau reviewer confirms (Lhasa art. 39: 分级分类管理 is the bureau's
and the departments' duty); this only tells them what the item looks like. The levels follow the
default four (docs/grading.md): personal information that identifies or reaches a person (ID
number, phone, address, e-mail, name) is 3 敏感; the sensitive personal information of PIPL
art. 28 (bank and financial accounts, health and medical data, biometrics, religion, criminal
records, whereabouts) is 4 高度敏感; other items are 1 公开 when the resource is open and 2 内部
otherwise. It takes plain values: grading may not import the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import GradeCategory

# Words saying a phone number, address or mailbox is an organisation's (服务电话, 办公地址): public.
ORGANISATION = r"服务|办公|值班|咨询|热线|投诉|机构|单位|企业|公司|office|service|hotline|org_|company"

# Item types of the catalog (catalog.models.ItemType values) that are personal identifiers:
# {type: (why, whether an organisation's words exempt it)}.
SENSITIVE_TYPES = {"id_number": (_("身份证号"), False), "phone": (_("电话号码"), True)}

# (level, words in the item's code or name, why, exempt for an organisation's): the highest level wins.
_KEYWORDS = [
    (4, r"bank|card_?no|account_?no|银行|卡号|账号|账户", _("银行卡号或金融账户"), False),
    (4, r"health|medical_?rec|diagnos|disease|病历|病史|病情|诊断|疾病|健康状况|体检|既往史", _("健康医疗信息"), False),
    (
        4,
        r"biometric|fingerprint|face_|iris|voiceprint|dna|gene_|指纹|人脸|面部|虹膜|声纹|基因|生物识别",
        _("生物识别信息"),
        False,
    ),
    (4, r"religio|宗教|信仰|犯罪|违法记录|criminal|行踪|轨迹", _("其他敏感个人信息"), False),
    (3, r"id_?number|id_?card|idcard|身份证|证件号", _("身份证件号码"), False),
    (3, r"phone|mobile|^tel|_tel|电话|手机", _("电话号码"), True),
    (3, r"home_?addr|residen|住址|家庭地址|居住地|户籍地|现住", _("住址"), True),
    (3, r"email|e_mail|邮箱", _("电子邮箱"), True),
    (3, r"^name$|person_?name|姓名", _("姓名"), False),
]
_PATTERNS = [(level, re.compile(words, re.IGNORECASE), why, exempt) for level, words, why, exempt in _KEYWORDS]
_ORGANISATION = re.compile(ORGANISATION, re.IGNORECASE)


def keyword_patterns(min_level: int) -> list[tuple[str, bool]]:
    """(words, exempt for an organisation's) suggesting min_level or above; the words are valid
    PostgreSQL regular expressions too, so a filter applies the same suggestion in SQL."""
    return [(words, exempt) for level, words, _why, exempt in _KEYWORDS if level >= min_level]


@dataclass(frozen=True)
class Suggestion:
    level: int
    category: str
    reason: str


def suggest_item(*, type: str = "", key: str = "", name: str = "", open_resource: bool = False) -> Suggestion:
    """The suggested grade of one item (its type first, then the words of its code and name)."""
    found: list[tuple[int, str]] = []
    organisation = bool(_ORGANISATION.search(key or "") or _ORGANISATION.search(name or ""))
    if type in SENSITIVE_TYPES and not (SENSITIVE_TYPES[type][1] and organisation):
        found.append((3, str(SENSITIVE_TYPES[type][0])))
    for level, pattern, why, exempt in _PATTERNS:
        if (pattern.search(key or "") or pattern.search(name or "")) and not (exempt and organisation):
            found.append((level, str(why)))
    if not found:
        if open_resource:
            return Suggestion(1, GradeCategory.GENERAL, str(_("未发现个人信息，资源已登记为开放")))
        return Suggestion(2, GradeCategory.GENERAL, str(_("未发现个人信息")))
    level = max(level for level, _why in found)
    reasons = [why for lv, why in found if lv == level]
    return Suggestion(level, GradeCategory.GENERAL, "、".join(dict.fromkeys(reasons)))


def suggest_entry(item_suggestions: list[Suggestion], *, open_resource: bool = False) -> Suggestion:
    """An entry's suggestion: at least its highest item's."""
    if not item_suggestions:
        return Suggestion(1 if open_resource else 2, GradeCategory.GENERAL, str(_("无信息项")))
    top = max(item_suggestions, key=lambda s: s.level)
    return Suggestion(top.level, GradeCategory.GENERAL, top.reason)
