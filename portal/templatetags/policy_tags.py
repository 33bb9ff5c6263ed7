"""{% policy_text "KEY" %}: the article a rule cites, as the bureau set it (portal.policy; issue 19, part 4)."""

from django import template

from portal import policy

register = template.Library()


@register.simple_tag
def policy_text(key: str) -> str:
    return policy.text(key)
