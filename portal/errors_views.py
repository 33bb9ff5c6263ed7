"""Error pages in the user's language; API paths answer JSON in the same shape as the API's errors."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _answer(request, status, message, template):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": str(status)}, status=status)
    return render(request, template, {"message": message, "status": status}, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400, _("请求无效。"), "errors/error.html")


def permission_denied(request, exception=None):
    return _answer(request, 403, _("您没有访问此页面的权限。"), "errors/error.html")


def page_not_found(request, exception=None):
    return _answer(request, 404, _("页面不存在。"), "errors/error.html")


def server_error(request):
    return _answer(request, 500, _("服务器内部错误，请稍后重试。"), "errors/error.html")
