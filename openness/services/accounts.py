"""Registration of public users (spec: 公众 register to apply for 依申请开放 data and get API keys).

Seed 004: real-name accounts, never shared, with strong passwords (letters, digits and special
characters, at least 8: the portal's validators, which set_password() does not run by itself).
The e-mail address is the sign-in name.
"""

from __future__ import annotations

import re

from django.conf import settings
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


def register_public_user(*, real_name: str, email: str, phone: str, password: str) -> tuple[User, bool]:
    """Create a public user (role 公众用户, no department), inactive until the address is confirmed.

    Returns (user, created). An address already registered is not an error that the page shows
    (that would tell anyone which addresses have accounts): the caller e-mails that address
    instead (send_registration_mail), and the page reads the same either way.
    """
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
    user = User(username=email, email=email, real_name=real_name, phone=phone, is_active=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_registration", errors={"password": exc.messages}) from None
    try:
        with transaction.atomic():
            existing = _account_of(email)
            if existing is not None:
                record(
                    "openness.user.register.repeat",
                    target=existing,
                    detail={"email": email, "active": existing.is_active},
                )
                return existing, False
            user.set_password(password)
            user.save()
            set_user_roles(user, [Role.PUBLIC])
            record("openness.user.register", actor=user, target=user, detail={"email": email})
    except IntegrityError:  # registered a moment ago by a concurrent request
        existing = _account_of(email)
        if existing is None:
            raise
        return existing, False
    return user, True


def _account_of(email: str) -> User | None:
    return (User.objects.filter(username__iexact=email) | User.objects.filter(email__iexact=email)).first()


def send_registration_mail(*, user: User, created: bool, site: str) -> None:
    """The one e-mail a registration sends: the confirmation link to a new (or still unconfirmed)
    account, or to an active one a note that the address is registered, with the sign-in and
    password-reset links. `site` is the scheme and host the links start with."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {
        "user": user,
        "site": site,
        "login_url": site + reverse("login"),
        "reset_url": site + reverse("password_reset"),
    }
    if user.is_active:
        template, subject = "openness/email/registered_already.txt", _("您的邮箱已注册")
    else:
        uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
        context["confirm_url"] = site + reverse("openness:register_confirm", kwargs={"uidb64": uid, "token": token})
        template, subject = "openness/email/register_confirm.txt", _("请确认您的注册")
    send_mail(f"{subject} · {settings.PORTAL_TITLE}", render_to_string(template, context), None, [user.email])


def user_from_confirmation(uidb64: str, token: str) -> User | None:
    """The unconfirmed public user a confirmation link names, if its token is still good."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def confirm_registration(*, user: User) -> User:
    """Activate a public user whose confirmation link was followed (once: a used link is refused)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise DomainError(_("该账号已经确认，请直接登录。"), code="already_confirmed")
        user.is_active = True
        user.save(update_fields=["is_active"])
        record("openness.user.confirm", actor=user, target=user, detail={"email": user.email})
    return user
