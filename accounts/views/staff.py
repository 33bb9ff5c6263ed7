"""The account pages (issue 19 part 6): the list with its filters, create, edit, and the actions
(deactivate, reactivate, unlock, reset the password). Thin: each parses its form and calls one
service of accounts.services.staff; another department's account answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.services import staff
from accounts.services.signin import locked_accounts
from accounts.staff_forms import DeactivateForm, UserFilterForm, UserForm
from portal.errors import PermissionDeniedError
from portal.pages import refused
from portal.roles import Role


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _require(request):
    if not selectors.may_manage_staff(request.user):
        raise PermissionDeniedError()


@login_required
def user_list(request):
    _require(request)
    actor = request.user
    form = UserFilterForm(request.GET or None, actor=actor)
    users = selectors.users_manageable_by(actor)
    if form.is_valid():
        data = form.cleaned_data
        users = selectors.users_filtered(
            users, department=data["department"], role=data["role"], active=data["active"], q=data["q"]
        )
    page = Paginator(users.prefetch_related("groups"), 50).get_page(request.GET.get("page"))
    for account in page:  # the roles from the prefetched groups, not one query per row
        names = {group.name for group in account.groups.all()}
        account.__dict__["roles"] = [role for role in Role.ordered() if role.value in names]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/staff/list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "locked": {lock.key for lock in locked_accounts()},
            "every_department": selectors.manages_every_department(actor),
            "may_manage_departments": selectors.departments_managed_by(actor).exists(),
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


def _form_page(request, template, form, *, status=200, **context):
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, template, {"form": form, **context}, status=status)


@login_required
def user_create(request):
    _require(request)
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form):
            link = staff.user_create(
                actor=request.user,
                username=data["username"],
                real_name=data["real_name"],
                department=data["department"],
                roles=data["roles"],
                email=data["email"],
                phone=data["phone"],
                title=data["title"],
                site_url=_site_url(request),
            )
            return _link_page(request, link, created=True)
    return _form_page(request, "accounts/staff/form.html", form)


def _link_page(request, link, *, created: bool):
    return render(request, "accounts/staff/link.html", {"link": link, "account": link.user, "created": created})


@login_required
def user_detail(request, pk):
    account = staff.manageable_user(request.user, pk)
    return render(
        request,
        "accounts/staff/detail.html",
        {
            "account": account,
            "locked": staff.user_locked_out(account),
            "deactivate_form": DeactivateForm(),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
def user_edit(request, pk):
    account = staff.manageable_user(request.user, pk)
    form = UserForm(request.POST or None, actor=request.user, user=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refused(request, form=form):
            staff.user_change(
                actor=request.user,
                pk=account.pk,
                real_name=data["real_name"],
                department=data["department"],
                roles=data["roles"],
                email=data["email"],
                phone=data["phone"],
                title=data["title"],
            )
            messages.success(request, _("账号信息已保存。"))
            return redirect("accounts:user_detail", account.pk)
    return _form_page(request, "accounts/staff/form.html", form, account=account)


@login_required
@require_POST
def user_deactivate(request, pk):
    account = staff.manageable_user(request.user, pk)
    form = DeactivateForm(request.POST)
    form.is_valid()
    with refused(request):
        staff.user_deactivate(actor=request.user, pk=account.pk, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("账号已停用，该用户的会话和接口令牌已失效。"))
    return redirect("accounts:user_detail", account.pk)


@login_required
@require_POST
def user_reactivate(request, pk):
    account = staff.manageable_user(request.user, pk)
    with refused(request):
        staff.user_reactivate(actor=request.user, pk=account.pk)
        messages.success(request, _("账号已启用。"))
    return redirect("accounts:user_detail", account.pk)


@login_required
@require_POST
def user_unlock(request, pk):
    account = staff.manageable_user(request.user, pk)
    cleared = staff.user_unlock(actor=request.user, pk=account.pk)
    done = _("已解锁账号 %(user)s（清除 %(n)s 条登录失败记录）。") % {"user": account.username, "n": cleared}
    if request.htmx:  # the list's row: its lock state is swapped in place
        return render(request, "accounts/staff/_lock_state.html", {"account": account, "locked": False, "done": done})
    messages.success(request, done)
    return redirect("accounts:user_detail", account.pk)


@login_required
@require_POST
def user_password_reset(request, pk):
    account = staff.manageable_user(request.user, pk)
    with refused(request):
        link = staff.user_password_reset(actor=request.user, pk=account.pk, site_url=_site_url(request))
        return _link_page(request, link, created=False)
    return redirect("accounts:user_detail", account.pk)
