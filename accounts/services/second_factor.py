"""The second sign-in factor: time-based one-time codes (TOTP, RFC 6238) with django-otp (SECURITY.md 14.15).

Required for the city-wide roles (bureau admin, bureau reviewer, auditor: they see every
department's data or the whole audit log) and for superusers; optional for everyone else, and
required of anyone who enrolled. A session signed in with the password only may do nothing but
enter the code, enrol, or sign out (config.middleware.SessionSecurityMiddleware); an API token is
only issued against the password and a current code (portal.api.views.TokenView).

A user enrols on /accounts/otp/setup/ by scanning the QR code into an authenticator app and entering
one code; a bureau admin who resets a user's device (a lost phone) makes the user enrol again at
the next sign-in. Wrong codes are throttled per device by django-otp (1, 2, 4 ... seconds).
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Outcome
from audit.services import record
from portal.errors import DomainError, NotFoundError
from portal.models import User
from portal.permissions import require
from portal.roles import Role

DEVICE_NAME = "portal"
RESET = "portal.change_user"


def second_factor_required(user) -> bool:
    """The roles that must use the second factor (SECURITY.md 14.15)."""
    from portal.permissions import user_roles

    return bool(user.is_superuser or set(user_roles(user)) & set(Role.city_wide()))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def needs_second_factor(user) -> bool:
    """Required by the user's role, or chosen by the user (an enrolled device is always asked for)."""
    return second_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_enrolment(*, actor: User) -> TOTPDevice:
    """The actor's device being enrolled (its key stays the same until confirmed); refused once the
    actor has a confirmed device: a second one would let a password alone replace the phone."""
    with transaction.atomic():
        if TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).exists():
            raise DomainError(_("您已启用双因素认证。如需更换设备，请联系大数据局管理员重置。"), code="otp_enrolled")
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    return device


def otp_secret(device: TOTPDevice) -> str:
    """The key as the authenticator apps show it (base32, in groups of four)."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def otp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (img-src allows data:; nothing leaves the portal)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _check(device: TOTPDevice, code: str) -> str | None:
    """None when the device (locked for update by the caller) accepts the code, else why not."""
    if not code:
        return _("请输入认证器应用中显示的 6 位动态验证码。")
    allowed, _info = device.verify_is_allowed()
    if not allowed:  # django-otp's throttle after wrong codes: the code is not even tried
        return _("动态验证码错误次数过多，请稍候几秒再试。")
    if device.verify_token(code):
        return None
    return _("动态验证码不正确或已过期，请输入认证器应用中当前显示的 6 位数字。")


def _clean(code: str) -> str:
    return "".join(str(code or "").split())[:16]


def otp_enrol_confirm(*, actor: User, code: str) -> TOTPDevice:
    """The first code from the app confirms the device being enrolled."""
    device = otp_enrolment(actor=actor)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _check(device, _clean(code))
    if refusal:
        record("auth.otp.enrol", actor=actor, target=actor, outcome=Outcome.FAILURE)
        raise DomainError(refusal, code="otp_invalid", errors={"otp_token": [refusal]})
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        record("auth.otp.enrol", actor=actor, target=actor, detail={"device": device.persistent_id})
    return device


def otp_verify(*, user, code: str, purpose: str = "sign_in") -> TOTPDevice:
    """The user's confirmed device accepts the code (each code once), or DomainError; audited either way.

    Each failure is committed before the refusal (django-otp's throttle counts it), so this runs
    outside any caller's transaction."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("该账号尚未启用双因素认证，请先在网页上登录并完成设置。"), code="otp_enrolment_required")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _check(device, _clean(code))
    if refusal:
        record("auth.otp.verify", actor=user, target=user, outcome=Outcome.FAILURE, detail={"purpose": purpose})
        raise DomainError(
            refusal, code="otp_invalid" if _clean(code) else "otp_required", errors={"otp_token": [refusal]}
        )
    record("auth.otp.verify", actor=user, target=user, detail={"purpose": purpose})
    return device


def otp_reset(*, actor: User, user) -> int:
    """A bureau admin removes a user's devices (recovery from a lost phone): the user enrols again at
    the next sign-in, and sessions verified with the old device are asked for the new one."""
    require(actor, RESET)
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().filter(user=user)
        count = len(devices)
        TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
        record("auth.otp.reset", actor=actor, target=user, detail={"devices": count})
    return count


def otp_user_named(username: str):
    from portal.models import User

    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None:
        message = _("未找到该用户名的账号。")
        raise NotFoundError(message, code="not_found", errors={"username": [message]})
    return user
