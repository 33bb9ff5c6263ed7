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
        raise ValidationError(_("统一社会信用代码无效：应为 18 位且校验位正确。"), code="invalid_uscc") from None
