"""The CKAN-compatible action API (issue 17 part 3): /api/3/action/<name> and /api/action/<name>
(ckanapi's RemoteCKAN calls the second), GET with a query string or POST with a JSON body, answered
in CKAN's envelope {"help", "success", "result" | "error": {"__type", ...}} with CKAN's codes:
409 Validation Error, 404 Not Found Error, 403 Authorization Error.

It is the public open-data API in another dialect: the same view base (openness.api.views.OpenDataView:
API key optional, the same rate limits per key and per address, every call audited and counted for
its dataset) and the same selectors and datastore query."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from interop.ckan.actions import ACTIONS
from interop.ckan.datastore_search import datastore_search
from interop.ckan.params import ActionError
from openness.api.authentication import ApiKeyAuthentication, presented_key
from openness.api.views import OpenDataView
from portal.errors import DomainError

ALL_ACTIONS = {**ACTIONS, "datastore_search": datastore_search}


class CkanKeyAuthentication(ApiKeyAuthentication):
    """The open-data API key, also as CKAN clients send it: ckanapi puts the key in X-CKAN-API-Key and
    in a bare "Authorization: <key>" header. Checked by the open-data API's own authentication."""

    def authenticate(self, request):
        meta = request._request.META
        if not presented_key(request):
            bare = meta.get("HTTP_AUTHORIZATION", "").strip()
            raw = meta.get("HTTP_X_CKAN_API_KEY", "").strip() or (bare if bare and " " not in bare else "")
            if raw:
                meta["HTTP_X_API_KEY"] = raw
        return super().authenticate(request)


def _error_of(exc) -> tuple[int, dict] | None:
    if isinstance(exc, ActionError):
        return exc.status, exc.error()
    if isinstance(exc, exceptions.Throttled):
        return 429, {"__type": "Throttled", "message": str(exc.detail)}
    if isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated, exceptions.PermissionDenied)):
        return 403, {"__type": "Authorization Error", "message": str(exc.detail)}
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return 404, {"__type": "Not Found Error", "message": _("未找到。")}
    if isinstance(exc, (exceptions.ParseError, exceptions.UnsupportedMediaType, exceptions.ValidationError)):
        return 409, {"__type": "Validation Error", "message": _("请求无效：%(detail)s") % {"detail": exc.detail}}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, {"__type": "Validation Error", "message": _("只支持 GET 和 POST。")}
    if isinstance(exc, DomainError):
        status = {403: 403, 404: 404}.get(exc.status_code, 409)
        kind = {403: "Authorization Error", 404: "Not Found Error"}.get(status, "Validation Error")
        return status, {"__type": kind, "message": str(exc.message)}
    return None


@extend_schema(exclude=True)  # CKAN's own API, documented by CKAN and on the public API page (/open/api-docs/)
class ActionView(OpenDataView):
    authentication_classes = [CkanKeyAuthentication, SessionAuthentication]
    parser_classes = [JSONParser, FormParser]
    ckan_action = ""

    def help_url(self, request) -> str:
        return request.build_absolute_uri(reverse("ckan_public:api_docs")) + "#" + self.ckan_action

    def get(self, request):
        # a repeated parameter (requests sends facet.field=a&facet.field=b for a list) stays a list
        params = {k: v[0] if len(v) == 1 else v for k, v in request.query_params.lists()}
        return self.answer(request, params)

    def post(self, request):
        data = request.data
        if hasattr(data, "dict"):  # a form body
            data = data.dict()
        if not isinstance(data, dict):
            raise ActionError(409, "Validation Error", _("请求体必须是 JSON 对象。"))
        return self.answer(request, {**request.query_params.dict(), **data})

    def answer(self, request, params: dict) -> Response:
        self.endpoint = f"ckan.{self.ckan_action}"
        try:
            result = ALL_ACTIONS[self.ckan_action](request, params)
        finally:
            self.audit_dataset = getattr(request, "ckan_dataset", None)
        return Response({"help": self.help_url(request), "success": True, "result": result})

    def handle_exception(self, exc):
        found = _error_of(exc)
        if found is None:
            return super().handle_exception(exc)
        status, error = found
        if isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated)):
            self._refused_key = True  # already audited by the authentication
        response = Response({"help": self.help_url(self.request), "success": False, "error": error}, status=status)
        if isinstance(exc, exceptions.Throttled):
            response["Retry-After"] = str(exc.wait)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(self, "_refused_key", False):
            return APIView.finalize_response(self, request, response, *args, **kwargs)
        return super().finalize_response(request, response, *args, **kwargs)
