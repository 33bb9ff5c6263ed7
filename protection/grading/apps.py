from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "protection.grading"
    label = "grading"
    verbose_name = _("数据分类分级")
