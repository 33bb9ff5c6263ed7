"""The open-data search's marks in results (issue 18 part 8): {{ text|highlight:search.terms }}."""

from django import template

from openness.search import highlight as _highlight

register = template.Library()


@register.filter
def highlight(text, terms):
    return _highlight(text, terms or [])
