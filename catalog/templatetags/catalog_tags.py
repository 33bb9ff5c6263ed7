from django import template
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, DataFormat, OpenType, ShareType
from portal.facets import FacetLabels, facet_groups
from protection.grading.constants import GradeCategory

register = template.Library()

TITLES = {
    "department": _("提供部门"),
    "category": _("资源分类"),
    "theme": _("主题"),
    "share_type": _("共享类型"),
    "open_type": _("开放类型"),
    "data_format": _("资源格式"),
    "grade_category": _("数据分类"),
    "grade_level": _("数据分级"),
}


class _GradeLevels:
    """The bureau's grade levels as FacetLabels reads choices (values, and a label per value)."""

    @property
    def values(self):
        return self._names().keys()

    def _names(self) -> dict:
        from protection.grading.selectors import levels

        return {level.number: str(level) for level in levels()}

    def __call__(self, value):
        return type("Level", (), {"label": self._names().get(value, value)})


LABELS = FacetLabels(
    TITLES,
    {
        "category": Category,
        "share_type": ShareType,
        "open_type": OpenType,
        "data_format": DataFormat,
        "grade_category": GradeCategory,
        "grade_level": _GradeLevels(),
    },
)


@register.inclusion_tag("portal/_facets.html", takes_context=True)
def catalog_facets(context):
    """The catalog's facet lists (portal.facets, shared with the open-data portal)."""
    return facet_groups(context, LABELS)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def suggested_grade(item) -> str:
    """The grade suggested for a data item (a DataItem or a form's initial dict), shown beside the
    officer's and the reviewer's choice and never applied by itself (docs/grading.md)."""
    from protection.grading.suggest import suggest_item

    if not item:
        return ""
    get = item.get if isinstance(item, dict) else (lambda name, default="": getattr(item, name, default))
    if not (get("key", "") or get("name", "")):
        return ""
    version = None if isinstance(item, dict) else getattr(item, "version", None)
    suggestion = suggest_item(
        type=get("type", ""),
        key=get("key", ""),
        name=get("name", ""),
        open_resource=bool(version and version.open_type != "not_open"),
    )
    return _("建议：%(l)s 级（%(r)s）") % {"l": suggestion.level, "r": suggestion.reason}
