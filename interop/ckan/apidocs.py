"""The internal API's OpenAPI schema and Swagger UI (drf-spectacular) for signed-in staff only (issue 17
part 8): the public saw the whole internal API, in English. The public gets the public page
(/open/api-docs/: the open-data and CKAN-compatible APIs, in Chinese) instead."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission

from portal.roles import Role

STAFF_ROLES = tuple(role for role in Role if role != Role.PUBLIC)


def is_portal_staff(user) -> bool:
    """A signed-in user with a role of the administration (every role but 公众用户)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*STAFF_ROLES)


class PortalStaff(BasePermission):
    message = _("内部接口文档仅向已登录的工作人员提供；公众请查看开放数据接口文档。")

    def has_permission(self, request, view) -> bool:
        return is_portal_staff(request.user)


class StaffSchemaView(SpectacularAPIView):
    permission_classes = [PortalStaff]


class StaffSwaggerView(SpectacularSwaggerSplitView):
    """Staff see Swagger UI; anybody else is sent to the public API page."""

    @extend_schema(exclude=True)  # as drf-spectacular's own view: the page is not an operation of the API
    def get(self, request, *args, **kwargs):
        if not is_portal_staff(request.user):
            return redirect("ckan_public:api_docs")
        return super().get(request, *args, **kwargs)
