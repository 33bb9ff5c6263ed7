from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("密码"), max_length=128, style={"input_type": "password"})
    otp_token = serializers.CharField(
        label=_("动态验证码"),
        max_length=16,
        required=False,
        allow_blank=True,
        help_text=_("双因素认证的 6 位动态验证码：大数据局管理员、审核员、审计员和已启用双因素认证的用户必填。"),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
