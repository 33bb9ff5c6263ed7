"""`Authorization: Token <key>` against hashed API tokens (portal.models.ApiToken)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from accounts.services.tokens import TokenExpired, token_authenticate


class HashedTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        # Read the header as the str WSGI gives (DRF's helper encodes it to latin-1 and fails on
        # anything else with a 500).
        parts = str(request.META.get("HTTP_AUTHORIZATION", "")).split()
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式无效：应为 “Token 令牌”。"))
        key = parts[1]
        if not key.isascii() or not key.isprintable():
            raise exceptions.AuthenticationFailed(_("令牌格式无效。"))
        try:
            token = token_authenticate(key)
        except TokenExpired as expired:
            raise exceptions.AuthenticationFailed(str(expired)) from None
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        request._portal_api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class HashedTokenScheme(OpenApiAuthenticationExtension):
        target_class = "accounts.api.auth.HashedTokenAuthentication"
        name = "tokenAuth"

        def get_security_definition(self, auto_schema):
            return {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": 'Token-based authentication: "Token <key>"',
            }
except ImportError:  # pragma: no cover
    pass
