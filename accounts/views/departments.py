"""The department pages of the bureau admin (issue 19 part 6): the tree as a list, add, edit
(rename, move, contact, switch off). Thin: each calls one service of accounts.services.departments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.services import departments as services
from accounts.staff_forms import DepartmentForm
from portal.errors import PermissionDeniedError
from portal.pages import refused
from portal.permissions import require
from portal.visibility import visible_or_404


@login_required
def department_list(request):
    visible = selectors.departments_managed_by(request.user)
    if not selectors.may_manage_staff(request.user) or not visible.exists():
        raise PermissionDeniedError()
    return render(request, "accounts/departments/list.html", {"departments": visible})


@login_required
def department_create(request):
    require(request.user, selectors.ADD_DEPARTMENT)
    form = DepartmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refused(request, form=form):
                department = services.department_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("部门“%(name)s”已添加。") % {"name": department.name})
                return redirect("accounts:department_list")
    return render(request, "accounts/departments/form.html", {"form": form}, status=status)


@login_required
def department_edit(request, pk):
    require(request.user, selectors.MANAGE_DEPARTMENTS)
    department = visible_or_404(selectors.departments_managed_by(request.user), pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refused(request, form=form):
                services.department_change(actor=request.user, pk=department.pk, **form.cleaned_data)
                messages.success(request, _("部门信息已保存。"))
                return redirect("accounts:department_list")
    return render(request, "accounts/departments/form.html", {"form": form, "department": department}, status=status)
