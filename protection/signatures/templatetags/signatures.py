"""The receipts and signed decisions of a grant, shown on its page to those who may download them."""

from django import template

from protection.signatures import selectors

register = template.Library()


@register.inclusion_tag("signatures/_grant_evidence.html", takes_context=True)
def grant_evidence(context, grant):
    user = context["request"].user
    return {
        "receipts": selectors.receipts_of_grant(user, grant.pk),
        "decisions": selectors.decisions_of_grant(user, grant_id=grant.pk, application_id=grant.application_id),
    }
