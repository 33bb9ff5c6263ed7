from django import template
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, DataFormat, OpenType, ShareType

register = template.Library()

TITLES = {"department": _("提供部门"), "category": _("资源分类"), "theme": _("主题"), "share_type": _("共享类型"),
          "open_type": _("开放类型"), "data_format": _("资源格式")}
CHOICES = {"category": Category, "share_type": ShareType, "open_type": OpenType, "data_format": DataFormat}


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
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
