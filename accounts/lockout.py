"""Sign-in lock-out (django-axes): per account, and per client address (SECURITY.md 14.5).

django-axes locks an account after AXES_FAILURE_LIMIT failures (LOGIN_FAILURE_LIMIT). That alone
lets one address try a few passwords on every account (password spraying) and lock out as many
accounts as it likes. PortalAxesHandler adds a second limit: once an address has failed
LOGIN_ADDRESS_FAILURE_LIMIT times within LOGIN_ADDRESS_WINDOW_MINUTES, whatever the user names,
every sign-in from it (web, admin, API token) is refused before the password is even checked
(accounts.address_limits). Unlocking stays axes' way: a bureau admin deletes the rows that count
(accounts.services.signin.signin_unlock, or the axes admin page).

lockout_response is AXES_LOCKOUT_CALLABLE: JSON for the API, a page otherwise, and a message that
says which limit was hit (the address one reveals nothing about any account).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.address_limits import address_blocked


class PortalAxesHandler(AxesDatabaseHandler):
    """axes' database handler, with the client address limit on top of the account limit."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if address_blocked(getattr(request, "axes_ip_address", None)):
            request.portal_address_blocked = True
            return True
        return super().is_locked(request, credentials)


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    if getattr(request, "portal_address_blocked", False):
        title = _("登录已暂停")
        message = _("该网络地址登录失败次数过多，已暂停登录 %(n)s 分钟。请稍后再试，或联系大数据局管理员解除。") % {
            "n": settings.LOGIN_ADDRESS_WINDOW_MINUTES
        }
        code = "address_locked_out"
    else:
        title = _("账号已锁定")
        message = _("账号因多次登录失败已被锁定，请稍后再试或联系大数据局管理员解锁。")
        code = "locked_out"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=429)
    return render(request, "registration/locked_out.html", {"title": title, "message": message}, status=429)
