from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def metric_value(metric, values):
    """A dashboard figure as shown: '-' without data, a percentage for rates."""
    value = values.get(metric.key) if hasattr(values, "get") else None
    if value is None:
        return "-"
    return f"{value}%" if metric.is_rate else value
