"""Accounts managed in the portal (issue 19 part 6; Lhasa art. 40 访问认证, 41 留痕): the bureau admin
creates, changes, deactivates, reactivates and unlocks the accounts of every department, gives roles
and sends a one-time link to set the password; a data officer does the same for the staff of their
own department with the department roles (accounts.selectors). Accounts are never deleted: the
audit log names them. Each change is one transaction with its audit entry; the mail with the link
leaves after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.services.credentials import credentials_revoke
from audit.models import Outcome
from audit.services import record
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.models import Department, User
from portal.permissions import forget_cached_permissions
from portal.roles import Role
from portal.services.roles import set_user_roles

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetPasswordLink:
    """The one-time link to set a password (Django's PasswordResetTokenGenerator: it stops working
    once the password is set, or after PASSWORD_RESET_TIMEOUT)."""

    user: User
    path: str
    url: str
    mailed_to: str


def _invalid(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, errors={field: [message]})


def _locked(actor, pk) -> User:
    """The account, locked, among those the actor manages (404 for any other, SECURITY.md 14.4)."""
    from portal.visibility import hidden_404

    user = selectors.users_manageable_by(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    if user is None:
        raise hidden_404(User, pk)
    return user


def _require_manager(actor) -> None:
    if not selectors.may_manage_staff(actor):
        raise PermissionDeniedError()


def _roles(actor, roles, *, current: list[Role] | None = None) -> list[Role]:
    """The roles after the change: those asked for (each must be grantable) plus those the actor
    may not touch, which stay as they were."""
    allowed = selectors.grantable_roles(actor)
    wanted = []
    for value in roles:
        try:
            role = Role(value)
        except ValueError:
            raise _invalid("roles", _("角色不存在。")) from None
        if role not in allowed:
            raise PermissionDeniedError(_("您不能授予“%(role)s”角色。") % {"role": role.label})
        wanted.append(role)
    kept = [r for r in (current or []) if r not in allowed]
    result = [r for r in Role.ordered() if r in wanted or r in kept]
    if not result:
        raise _invalid("roles", _("请至少选择一个角色。"))
    return result


def _department(actor, department: Department | None, roles: list[Role]) -> Department | None:
    if department is not None and not selectors.departments_for_staff_of(actor).filter(pk=department.pk).exists():
        raise PermissionDeniedError(_("您只能管理本部门的账号。"))
    if department is None and set(roles) & set(Role.department_roles()):
        raise _invalid("department", _("部门工作人员和数据管理员必须属于一个部门。"))
    if department is None and not selectors.manages_every_department(actor):
        raise _invalid("department", _("请选择所属部门。"))
    if department is not None and not department.is_active:
        raise _invalid("department", _("该部门已停用，不能添加账号。"))
    return department


def _email(email: str) -> str:
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _invalid("email", _("请输入有效的电子邮箱地址。")) from None
    return email


def _snapshot(user: User) -> dict:
    return {
        "real_name": user.real_name,
        "email": user.email,
        "phone": user.phone,
        "title": user.title,
        "department": user.department_id,
        "roles": [r.value for r in user.roles],
    }


def end_sessions(user: User) -> int:
    """Sign the user out everywhere: delete every live session that belongs to the account."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).iterator()
    ended = [s.pk for s in live if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)]
    if ended:
        Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _link(user: User, *, site_url: str, purpose: str) -> SetPasswordLink:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    url = site_url.rstrip("/") + path
    if user.email:
        transaction.on_commit(lambda: _mail_link(user, url, purpose))
    return SetPasswordLink(user=user, path=path, url=url, mailed_to=user.email)


def _mail_link(user: User, url: str, purpose: str) -> None:
    from django.conf import settings

    if purpose == "create":
        subject = _("%(site)s：您的账号已开通") % {"site": settings.PORTAL_TITLE}
        intro = _("%(name)s，您好：管理员已为您开通%(site)s账号（用户名 %(username)s）。请打开下面的链接设置密码：")
    else:
        subject = _("%(site)s：请重新设置密码") % {"site": settings.PORTAL_TITLE}
        intro = _(
            "%(name)s，您好：管理员已重置您在%(site)s的账号（用户名 %(username)s）的密码。请打开下面的链接设置新密码："
        )
    body = "\n\n".join(
        [
            intro % {"name": user.get_full_name(), "site": settings.PORTAL_TITLE, "username": user.username},
            url,
            _("链接只能使用一次，%(days)s 天内有效。如有疑问，请联系管理员。")
            % {"days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
        ]
    )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the mail server is down: the admin still has the link on the page
        logger.warning("set-password mail to user %s not sent", user.pk, exc_info=True)
        record("accounts.user.link_mail_failed", target=user, outcome=Outcome.FAILURE, detail={"purpose": purpose})


def user_create(
    *,
    actor: User,
    username: str,
    real_name: str,
    department: Department | None,
    roles: list[str],
    email: str = "",
    phone: str = "",
    title: str = "",
    site_url: str,
) -> SetPasswordLink:
    """Lhasa art. 40: a real-name account for a named person, with the roles the actor may give; no
    password is chosen by the admin: the person sets it through a one-time link."""
    _require_manager(actor)
    username = (username or "").strip()
    real_name = (real_name or "").strip()
    if not username:
        raise _invalid("username", _("请填写用户名。"))
    try:
        User.username_validator(username)
    except ValidationError:
        raise _invalid("username", _("用户名只能包含字母、数字和 @/./+/-/_ 字符。")) from None
    if not real_name:
        raise _invalid("real_name", _("请填写真实姓名。"))
    granted = _roles(actor, roles)
    department = _department(actor, department, granted)
    email = _email(email)
    with transaction.atomic():
        if User.objects.select_for_update().filter(username__iexact=username).exists():
            raise _invalid("username", _("用户名“%(name)s”已被使用。") % {"name": username}, "username_taken")
        user = User(
            username=username,
            real_name=real_name,
            department=department,
            email=email,
            phone=(phone or "").strip(),
            title=(title or "").strip(),
        )
        user.set_unusable_password()
        user.save()
        set_user_roles(user, granted)
        link = _link(user, site_url=site_url, purpose="create")
        record("accounts.user.create", actor=actor, target=user, detail={**_snapshot(user), "link_mailed": bool(email)})
    return link


def user_change(
    *,
    actor: User,
    pk: int,
    real_name: str,
    department: Department | None,
    roles: list[str],
    email: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    """Change an account's name, contact, department and roles; the roles the actor may not give
    stay as they were."""
    _require_manager(actor)
    real_name = (real_name or "").strip()
    if not real_name:
        raise _invalid("real_name", _("请填写真实姓名。"))
    email = _email(email)
    with transaction.atomic():
        user = _locked(actor, pk)
        before = _snapshot(user)
        granted = _roles(actor, roles, current=user.roles)
        department = _department(actor, department, granted)
        if user.pk == actor.pk and Role.BUREAU_ADMIN in before["roles"] and Role.BUREAU_ADMIN not in granted:
            raise _invalid("roles", _("不能取消自己的大数据局管理员角色。"), "own_role")
        user.real_name, user.department, user.email = real_name, department, email
        user.phone, user.title = (phone or "").strip(), (title or "").strip()
        user.save(update_fields=["real_name", "department", "email", "phone", "title"])
        set_user_roles(user, granted)
        forget_cached_permissions(user)
        after = _snapshot(user)
        changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        if changed:
            record("accounts.user.change", actor=actor, target=user, detail={"changed": changed})
    return user


def user_deactivate(*, actor: User, pk: int, reason: str = "") -> User:
    """Lhasa art. 40: a person who left is switched off, never deleted (the log keeps naming them);
    their sessions and API tokens end at once. Nobody switches themself off."""
    _require_manager(actor)
    with transaction.atomic():
        user = _locked(actor, pk)
        if user.pk == actor.pk:
            raise DomainError(_("不能停用自己的账号。"), code="own_account")
        if not user.is_active:
            raise DomainError(_("该账号已停用。"), code="already_inactive")
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = end_sessions(user)
        revoked = credentials_revoke(user=user, cause="deactivate")
        record(
            "accounts.user.deactivate",
            actor=actor,
            target=user,
            detail={"reason": (reason or "")[:200], "sessions_ended": sessions, "revoked": revoked},
        )
    return user


def user_reactivate(*, actor: User, pk: int) -> User:
    _require_manager(actor)
    with transaction.atomic():
        user = _locked(actor, pk)
        if user.is_active:
            raise DomainError(_("该账号已是启用状态。"), code="already_active")
        if user.department is not None and not user.department.is_active:
            raise DomainError(_("该账号所属部门已停用，请先启用部门或调整所属部门。"), code="department_inactive")
        user.is_active = True
        user.save(update_fields=["is_active"])
        record("accounts.user.reactivate", actor=actor, target=user)
    return user


def user_unlock(*, actor: User, pk: int) -> int:
    """SECURITY.md 14.5: clear django-axes' failed sign-ins of the account (every address it was
    tried from), as axes' own reset does; returns how many attempt rows were cleared."""
    _require_manager(actor)
    with transaction.atomic():
        user = _locked(actor, pk)
        rows = AccessAttempt.objects.select_for_update().filter(username=user.username)
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            AccessAttempt.objects.filter(pk__in=ids).delete()
        record("accounts.user.unlock", actor=actor, target=user, detail={"attempts_cleared": len(ids)})
    return len(ids)


def user_password_reset(*, actor: User, pk: int, site_url: str) -> SetPasswordLink:
    """SECURITY.md 14.9: the old password stops working, every session and API token of the account
    ends, and the person sets a new password through a one-time link."""
    _require_manager(actor)
    with transaction.atomic():
        user = _locked(actor, pk)
        if not user.is_active:
            raise DomainError(_("该账号已停用，请先启用再重置密码。"), code="inactive")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        sessions = end_sessions(user)
        revoked = credentials_revoke(user=user, cause="password_reset")
        link = _link(user, site_url=site_url, purpose="reset")
        record(
            "accounts.user.password_reset",
            actor=actor,
            target=user,
            detail={"sessions_ended": sessions, "revoked": revoked, "link_mailed": bool(user.email)},
        )
    return link


def user_locked_out(user: User) -> bool:
    """Whether django-axes counts the account as locked now (accounts.services.signin's rule)."""
    from accounts.services.signin import locked_accounts

    return any(lock.key == user.username for lock in locked_accounts())


def manageable_user(actor, pk) -> User:
    """The account for the pages, or 404."""
    from portal.visibility import visible_or_404

    if not selectors.may_manage_staff(actor):
        raise PermissionDeniedError()
    try:
        return visible_or_404(selectors.users_manageable_by(actor), pk=pk)
    except (ValueError, TypeError):
        raise NotFoundError() from None
