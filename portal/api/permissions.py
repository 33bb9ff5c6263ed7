from rest_framework.permissions import BasePermission

from portal.permissions import can


class PortalPermission(BasePermission):
    """Checks view.required_perms[method] (or "*") with portal.permissions.can()."""

    def _perm(self, request, view):
        perms = getattr(view, "required_perms", {})
        return perms.get(request.method, perms.get("*"))

    def has_permission(self, request, view):
        perm = self._perm(request, view)
        return perm is None or can(request.user, perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(request, view)
        if perm is None or not getattr(view, "object_scoped", True):
            return True  # the view's objects are not scoped: has_permission() decided
        return can(request.user, perm, obj)
