"""The answer to a locked-out sign-in (django-axes AXES_LOCKOUT_CALLABLE): JSON for the API, a page otherwise."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    message = _("账号因多次登录失败已被锁定，请稍后再试或联系大数据局管理员解锁。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
