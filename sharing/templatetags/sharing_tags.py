from django import template

from portal.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, perm, obj=None):
    """{% may "sharing.view_deadline" as allowed %}: portal.permissions.can for the signed-in user."""
    request = context.get("request")
    return bool(request is not None and can(request.user, perm, obj))


@register.filter
def item_names(keys, labels):
    """["id_number", ...] with {"id_number": "身份证号"} -> "身份证号、…"."""
    return "、".join(labels.get(k, k) for k in keys or [])


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
