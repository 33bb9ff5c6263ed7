from django.conf import settings

from portal.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    counts = {}
    if getattr(request, "second_factor_pending", False):
        # SECURITY.md 14.15: a password-only session sees no navigation and no counts until the second step.
        return {"nav_items": [], "portal_title": settings.PORTAL_TITLE, "user_roles": [], "second_factor_pending": True}
    if user.is_authenticated:
        from portal.inbox import inbox_count
        from portal.services.notifications import unread_count

        counts = {"inbox_count": inbox_count(user), "unread_count": unread_count(user)}
    return {
        **counts,
        "nav_items": items_for(user),
        "portal_title": settings.PORTAL_TITLE,
        "user_roles": [r.label for r in user.roles] if user.is_authenticated else [],
    }
