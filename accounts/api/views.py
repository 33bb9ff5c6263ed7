"""API tokens: exchange a password (and the second factor's code) for a token, revoke it."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.auth import HashedTokenAuthentication
from accounts.api.serializers import TokenRequestSerializer, TokenSerializer
from accounts.lockout import lockout_response
from accounts.services.second_factor import needs_second_factor, otp_verify
from accounts.services.tokens import token_issue, token_revoke
from portal.api.schema import error


class TokenView(APIView):
    """Exchange a username and password for an API token (sign-in rules and lock-out apply); roles
    that must use the second factor, and users who enrolled one, add the current code (otp_token)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: error(400, "用户名、密码或动态验证码不正确"),
            429: error(429, "该账号或网络地址登录失败次数过多"),
        },
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request, username=form.validated_data["username"], password=form.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("用户名或密码不正确。"), "code": "invalid_credentials"}, status=status.HTTP_400_BAD_REQUEST
            )
        if needs_second_factor(user):  # SECURITY.md 14.15: the password alone gives no token to these roles
            otp_verify(user=user, code=form.validated_data.get("otp_token", ""), purpose="api_token")
        _token, key = token_issue(actor=user)
        return Response({"token": key})

    @extend_schema(request=None, responses={204: None, 401: error(401, "未使用要吊销的令牌访问")})
    def delete(self, request):
        """Revoke the token this request is authenticated with."""
        result = HashedTokenAuthentication().authenticate(request)
        if result is None:
            return Response(
                {"detail": _("请使用要吊销的令牌访问。"), "code": "not_authenticated"},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        token_revoke(actor=result[0], token=result[1])
        return Response(status=status.HTTP_204_NO_CONTENT)
