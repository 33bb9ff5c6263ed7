from django import template
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from catalog.datastore import detector, masking
from catalog.models import DataFormat, UpdateFrequency
from openness.models import OpenKind

register = template.Library()

TITLES = {"department": _("提供部门"), "theme": _("主题"), "data_format": _("数据格式"), "open_type": _("开放类型"),
          "update_frequency": _("更新周期")}
CHOICES = {"data_format": DataFormat, "open_type": OpenKind, "update_frequency": UpdateFrequency}
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "xlsx": "Excel (XLSX)"}


@register.simple_tag
def open_data_summary():
    """Counts and lists of the public landing page (portal's open_data_home template)."""
    from openness.selectors import landing_summary

    return landing_summary()


@register.simple_tag
def facet_title(facet):
    return TITLES.get(facet, facet)


@register.simple_tag
def facet_label(facet, value, department_names):
    if facet == "department":
        return department_names.get(value, value)
    choices = CHOICES.get(facet)
    if choices and value in choices.values:
        return choices(value).label
    return value


@register.simple_tag
def facet_link(query_string, facet, value):
    params = QueryDict(query_string, mutable=True)
    params.pop("page", None)
    if value in ("", None):
        params.pop(facet, None)
    else:
        params[facet] = value
    return params.urlencode()


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


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
