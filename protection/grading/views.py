"""The grade levels page of the bureau administrator (docs/grading.md). Thin: one service per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.pages import refused
from portal.permissions import can

from . import levels as services
from .conf import DEFAULTS, setting
from .selectors import levels


@login_required
def level_list(request):
    if not can(request.user, services.MANAGE):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        with refused(request, permission_as_message=True):
            if action == "rename":
                number = request.POST.get("number", "")
                services.level_rename(
                    actor=request.user,
                    number=int(number) if number.isdigit() else 0,
                    name=request.POST.get("name", ""),
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("级别已保存。"))
            elif action == "add":
                services.level_add(
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("已添加级别。"))
            elif action == "remove":
                services.level_remove(actor=request.user)
                messages.success(request, _("已删除最高级别。"))
        return redirect("grading:levels")
    rules = [(name, setting(name), DEFAULTS[name]) for name in DEFAULTS]
    return render(request, "grading/levels.html", {"levels": levels(), "rules": rules})
