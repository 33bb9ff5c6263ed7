"""The grade levels of 一般数据, editable by the bureau administrator (Lhasa art. 39 分级分类管理).

The grades themselves are fields of the catalog's versions and data items (grade_level,
grade_category, grade_confirmed): they belong to the catalog's rows and are reviewed with them.
A level is stored there as its number, so renaming a level here changes no graded row.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeLevel(models.Model):
    """数据分级级别: one level of 一般数据; level 1 is the least protected."""

    number = models.PositiveSmallIntegerField(_("级别"), unique=True, validators=[MinValueValidator(1)])
    name = models.CharField(_("级别名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("数据分级级别")
        verbose_name_plural = _("数据分级级别")
        ordering = ["number"]
        permissions = [("manage_gradelevel", _("维护数据分级级别"))]

    def __str__(self):
        return f"{self.number} {self.name}"
