from django import template
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, DataFormat, OpenType, ShareType
from portal.facets import FacetLabels, facet_groups

register = template.Library()

TITLES = {"department": _("提供部门"), "category": _("资源分类"), "theme": _("主题"), "share_type": _("共享类型"),
          "open_type": _("开放类型"), "data_format": _("资源格式")}
LABELS = FacetLabels(TITLES, {"category": Category, "share_type": ShareType, "open_type": OpenType,
                              "data_format": DataFormat})


@register.inclusion_tag("portal/_facets.html", takes_context=True)
def catalog_facets(context):
    """The catalog's facet lists (portal.facets, shared with the open-data portal)."""
    return facet_groups(context, LABELS)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
