from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败多次后账号将被锁定。"),
        "inactive": _("该账号已停用，请联系大数据局管理员。"),
    }


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("动态验证码"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control", "autofocus": True}
        ),
        error_messages={"required": _("请输入认证器应用中显示的 6 位动态验证码。")},
    )


class UnlockForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "unlock_%s")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label=_("用户名"), max_length=150, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    address = forms.CharField(
        label=_("网络地址"), max_length=45, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class OtpResetForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reset_%s")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": _("请填写要重置双因素认证的用户名。")},
    )
