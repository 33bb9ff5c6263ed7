from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败多次后账号将被锁定。"),
        "inactive": _("该账号已停用，请联系大数据局管理员。"),
    }
