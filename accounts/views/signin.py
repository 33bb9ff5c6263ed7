"""Sign-in security pages (SECURITY.md 14.5, 14.15): the second step after the password, enrolment of the
second factor, and the bureau admin's page to unlock accounts and addresses and reset a user's
device. Thin: each calls one service."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts.forms import OtpResetForm, OtpTokenForm, UnlockForm
from accounts.services import second_factor, signin
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _verified(request, device):
    """Mark the session as having passed the second factor, the way django_otp.login does, under a
    new session key (the password-only session's key is not the verified one's)."""
    request.session.cycle_key()
    otp_login(request, device)
    return redirect(_next_url(request))


@login_required
def otp_verify(request):
    """The second step: the 6-digit code of the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if second_factor.confirmed_device(request.user) is None:
        return redirect(_with_next("otp_setup", request))
    form = OtpTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.otp_verify(user=request.user, code=form.cleaned_data["otp_token"])
        except DomainError as error:
            form.add_error("otp_token", str(error.message))
        else:
            return _verified(request, device)
    if request.method == "POST":
        status = 400
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}, status=status)


@login_required
def otp_setup(request):
    """Enrolment: scan the QR code (or type the key) into an authenticator app, enter one code."""
    if second_factor.confirmed_device(request.user) is not None:
        if not request.user.is_verified():
            return redirect(_with_next("otp_verify", request))
        return render(request, "registration/otp_setup.html", {"enrolled": True})
    device = second_factor.otp_enrolment(actor=request.user)
    form = OtpTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.otp_enrol_confirm(actor=request.user, code=form.cleaned_data["otp_token"])
        except DomainError as error:
            form.add_error("otp_token", str(error.message))
        else:
            messages.success(request, _("双因素认证已启用。今后登录时，请在输入密码后输入认证器应用中的动态验证码。"))
            return _verified(request, device)
    if request.method == "POST":
        status = 400
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": second_factor.otp_qr_data_uri(device),
            "secret": second_factor.otp_secret(device),
            "required": second_factor.second_factor_required(request.user),
        },
        status=status,
    )


def _security_page(request, *, unlock_form=None, reset_form=None, status=200):
    if not can(request.user, signin.UNLOCK):
        raise PermissionDenied
    return render(
        request,
        "portal/signin_security.html",
        {
            "accounts": signin.locked_accounts(),
            "addresses": signin.blocked_addresses(),
            "unlock_form": unlock_form or UnlockForm(),
            "reset_form": reset_form or OtpResetForm(),
            "account_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            "address_minutes": settings.LOGIN_ADDRESS_WINDOW_MINUTES,
        },
        status=status,
    )


@login_required
def signin_security(request):
    """The bureau admin's view of locked accounts and blocked addresses."""
    return _security_page(request)


@login_required
@require_POST
def signin_unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return _security_page(request, unlock_form=form, status=400)
    try:
        cleared = signin.signin_unlock(
            actor=request.user, username=form.cleaned_data["username"], address=form.cleaned_data["address"]
        )
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as error:
        for field, problems in (error.errors or {"__all__": [str(error.message)]}).items():
            form.add_error(None if field == "__all__" else field, problems)
        return _security_page(request, unlock_form=form, status=error.status_code)
    messages.success(
        request,
        _("已解锁：%(what)s（清除 %(n)s 条登录失败记录）。")
        % {"what": form.cleaned_data["username"] or form.cleaned_data["address"], "n": cleared},
    )
    return redirect("signin_security")


@login_required
@require_POST
def otp_reset(request):
    """A bureau admin resets a user's second-factor device (a lost phone): the user enrols again."""
    form = OtpResetForm(request.POST)
    if not can(request.user, second_factor.RESET) or not can(request.user, signin.UNLOCK):
        raise PermissionDenied
    if not form.is_valid():
        return _security_page(request, reset_form=form, status=400)
    try:
        user = second_factor.otp_user_named(form.cleaned_data["username"])
        removed = second_factor.otp_reset(actor=request.user, user=user)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as error:
        form.add_error("username", str(error.message))
        return _security_page(request, reset_form=form, status=400)
    messages.success(
        request,
        _("已重置 %(user)s 的双因素认证设备（%(n)s 个）。该用户下次登录时须重新设置。") % {"user": user, "n": removed},
    )
    return redirect("signin_security")
