"""Public users' own pages: registration and API keys."""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openness import ratelimit, selectors
from openness.conf import setting
from openness.forms import ApiKeyForm, RegistrationForm
from openness.services import accounts, apikeys
from portal.pages import refused
from portal.permissions import can
from portal.visibility import visible_or_404

logger = logging.getLogger(__name__)


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if not ratelimit.registration_allowed(getattr(request, "client_ip", None)):
            form.is_valid()  # a bound, cleaned form can carry the refusal (an empty POST too)
            form.add_error(None, _("注册过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            with refused(request, form=form, rename={"password": "password1"}, permission_as_message=True):
                user, created = accounts.register_public_user(
                    real_name=form.cleaned_data["real_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    password=form.cleaned_data["password1"],
                )
                # The same page whether the address was new or already registered (no enumeration):
                # what differs is the e-mail that address receives.
                mail_failed = not _send_registration_mail(request, user, created)
                return render(
                    request,
                    "openness/register_sent.html",
                    {"email": form.cleaned_data["email"].strip().lower(), "mail_failed": mail_failed},
                )
    return render(request, "openness/register.html", {"form": form}, status=status)


def _send_registration_mail(request, user, created) -> bool:
    try:
        accounts.send_registration_mail(user=user, created=created, site=request.build_absolute_uri("/")[:-1])
        return True
    except Exception:  # the mail server is down: the page says so; registering again resends
        logger.warning("registration mail to user %s not sent", user.pk, exc_info=True)
        return False


def register_confirm(request, uidb64, token):
    """The link of the confirmation e-mail: a page with one button (a GET changes nothing, so mail
    scanners that open links do not confirm accounts), whose POST activates and signs in."""
    user = accounts.user_from_confirmation(uidb64, token)
    if user is None or user.is_active:
        return render(request, "openness/register_confirm.html", {"valid": False}, status=400)
    if request.method == "POST":
        with refused(request, permission_as_message=True):
            accounts.confirm_registration(user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。您可以申请依申请开放的数据，并创建接口密钥。"))
            return redirect("home")
        return redirect("login")
    return render(request, "openness/register_confirm.html", {"valid": True, "confirm_user": user})


@login_required
def keys(request):
    if not can(request.user, apikeys.CREATE):
        raise PermissionDenied
    form = ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form, permission_as_message=True):
            _key, secret = apikeys.apikey_create(actor=request.user, name=form.cleaned_data["name"])
            form = ApiKeyForm()
    return render(
        request,
        "openness/keys.html",
        {
            "keys": selectors.keys_of(request.user),
            "form": form,
            "secret": secret,
            "now": timezone.now(),
            "key_days": setting("API_KEY_DAYS"),
        },
    )


@login_required
@require_POST
def key_revoke(request, pk):
    key = visible_or_404(selectors.keys_of(request.user), pk=pk)  # SECURITY.md 14.4: audited when someone else's
    with refused(request, permission_as_message=True):
        apikeys.apikey_revoke(actor=request.user, key=key)
        messages.success(request, _("密钥已撤销，立即失效。"))
    return redirect("openness:keys")


@login_required
@require_POST
def key_renew(request, pk):
    """SECURITY.md 14.16: the owner renews a key; it is valid API_KEY_DAYS (365) from now, same secret."""
    key = visible_or_404(selectors.keys_of(request.user), pk=pk)
    with refused(request, permission_as_message=True):
        key = apikeys.apikey_renew(actor=request.user, key=key)
        if key.expires_at is None:
            messages.success(request, _("密钥已续期，长期有效。"))
        else:
            messages.success(
                request,
                _("密钥已续期，有效期至 %(date)s。")
                % {"date": timezone.localtime(key.expires_at).strftime("%Y-%m-%d")},
            )
    return redirect("openness:keys")
