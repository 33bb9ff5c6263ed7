"""Validators with Chinese messages."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError


class PasswordComplexityValidator:
    """Seed 004 (strong passwords): at least 8 characters mixing letters, digits and special characters."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        problems = []
        if len(password) < self.min_length:
            problems.append(_("密码长度至少为 %(n)d 个字符。") % {"n": self.min_length})
        if not re.search(r"[A-Za-z]", password):
            problems.append(_("密码必须包含字母。"))
        if not re.search(r"\d", password):
            problems.append(_("密码必须包含数字。"))
        if not re.search(r"[^A-Za-z0-9]", password) or re.search(r"\s", password):
            problems.append(_("密码必须包含特殊字符（如 !@#$%），且不能包含空格。"))
        if problems:
            raise ValidationError(problems, code="password_too_weak")

    def get_help_text(self):
        return _("密码至少 %(n)d 位，须同时包含字母、数字和特殊字符。") % {"n": self.min_length}


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    try:
        uscc.validate(value)
    except StdnumError:
        raise ValidationError(_("统一社会信用代码无效：应为 18 位且校验位正确。"), code="invalid_uscc")


class CredentialsEndWithPassword:
    """Issue 14.9: a new password ends what the old one gave out. Django calls password_changed() on
    every configured validator right after a changed password is saved, whatever path set it (the
    change and reset pages, the admin's password form, `manage.py changepassword`) and never for a
    hash upgrade at sign-in, so this is the one place that sees them all. Sessions need nothing here:
    Django's session verification refuses every session made with the old password (the one the
    change page keeps is re-keyed with the new one)."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from portal.services.credentials import credentials_revoke

        credentials_revoke(user=user, cause="password_changed")

    def get_help_text(self):
        return _("修改或重设密码后，此前签发的接口令牌、接口密钥和其他设备上的登录都将失效。")
