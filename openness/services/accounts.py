"""Registration of public users (spec: 公众 register to apply for 依申请开放 data and get API keys).

Seed 004: real-name accounts, never shared, with strong passwords (letters, digits and special
characters, at least 8: the portal's validators, which set_password() does not run by itself).
The e-mail address is the sign-in name.
"""
from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from portal.models import User
from portal.roles import Role
from portal.services.roles import set_user_roles

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def _error(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid_registration", errors={field: [message]})


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s-]", "", phone or "").removeprefix("+86")


def register_public_user(*, real_name: str, email: str, phone: str, password: str) -> User:
    """Create a public user (role 公众用户, no department)."""
    real_name = (real_name or "").strip()
    email = (email or "").strip().lower()
    phone = normalise_phone(phone)
    if not real_name or len(real_name) > 50:
        raise _error("real_name", _("请填写真实姓名（不超过 50 个字）。"))
    try:
        validate_email(email)
    except ValidationError:
        raise _error("email", _("请填写有效的电子邮箱。")) from None
    if len(email) > 150:
        raise _error("email", _("电子邮箱过长。"))
    if not MOBILE.match(phone):
        raise _error("phone", _("请填写有效的 11 位手机号码。"))
    user = User(username=email, email=email, real_name=real_name, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_registration", errors={"password": exc.messages}) from None
    try:
        with transaction.atomic():
            taken = User.objects.filter(username__iexact=email) | User.objects.filter(email__iexact=email)
            if taken.exists():
                raise _error("email", _("该电子邮箱已注册，请直接登录。"))
            user.set_password(password)
            user.save()
            set_user_roles(user, [Role.PUBLIC])
            record("openness.user.register", actor=user, target=user, detail={"email": email})
    except IntegrityError:
        raise _error("email", _("该电子邮箱已注册，请直接登录。")) from None
    return user
