"""The vocabulary of grading, importable by every app (it touches no model).

GB/T 43697-2024 (数据安全技术 数据分类分级规则) sorts data into three categories: 核心数据,
重要数据 and 一般数据; 一般数据 is graded further into levels. Lhasa art. 39 and Sixian art. 39 ask
for 分级分类管理 / 数据分类分级安全防护 without fixing the levels, so their number and names are
the bureau administrator's (the GradeLevel table); the default is four (DEFAULT_LEVELS).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeCategory(models.TextChoices):
    """GB/T 43697-2024 categories, from the least to the most protected."""

    GENERAL = "general", _("一般数据")
    IMPORTANT = "important", _("重要数据")
    CORE = "core", _("核心数据")


# How protected a category is, to compare them (an entry's grade is at least its highest item's).
CATEGORY_RANK = {GradeCategory.GENERAL: 0, GradeCategory.IMPORTANT: 1, GradeCategory.CORE: 2}

# The default levels of 一般数据 (number, name, description); the bureau administrator may rename
# them and change their number (GradeLevel rows), the rules read the level numbers from settings.
DEFAULT_LEVELS = [
    (1, _("公开"), _("可向社会开放的数据")),
    (2, _("内部"), _("仅在政务部门间共享的数据")),
    (3, _("敏感"), _("泄露后可能损害个人或组织权益的数据，共享时默认脱敏")),
    (4, _("高度敏感"), _("泄露后可能造成严重损害的数据，有条件共享须经大数据管理局会签")),
]
