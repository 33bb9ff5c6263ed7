from django import template
from django.utils.translation import gettext_lazy as _

from catalog.datastore import detector, masking
from catalog.models import DataFormat, UpdateFrequency
from openness.models import OpenKind
from portal.facets import FacetLabels, facet_groups

register = template.Library()

TITLES = {
    "department": _("提供部门"),
    "theme": _("主题"),
    "data_format": _("数据格式"),
    "open_type": _("开放类型"),
    "update_frequency": _("更新周期"),
}
LABELS = FacetLabels(TITLES, {"data_format": DataFormat, "open_type": OpenKind, "update_frequency": UpdateFrequency})
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "xlsx": "Excel (XLSX)"}


@register.simple_tag
def open_data_summary():
    """Counts and lists of the public landing page (portal's open_data_home template)."""
    from openness.selectors import landing_summary

    return landing_summary()


@register.inclusion_tag("portal/_facets.html", takes_context=True)
def open_data_facets(context):
    """The open-data portal's facet lists (portal.facets, shared with the catalog)."""
    return facet_groups(context, LABELS)


@register.filter
def format_label(fmt):
    return FORMAT_LABELS.get(fmt, fmt)


@register.filter
def rule_label(item):
    return masking.Rule.from_dict(item).label


@register.filter
def kind_label(kind):
    return detector.KIND_LABELS.get(kind, kind)


@register.filter
def row_values(row, columns):
    return [row.get(c.key) for c in columns]
