"""Checks of accounts (the city opinion 004: accounts reviewed, no shared accounts, privileged
accounts protected; Lhasa art. 38 日常检查)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from accounts import selectors_security as accounts
from audit import selectors_security as audit
from secops.selfchecks.checks import Context, Found
from secops.selfchecks.conf import setting


def _cap(qs):
    return qs[: setting("MAX_FINDINGS_PER_CHECK")]


def dormant(ctx: Context) -> list[Found]:
    days = setting("DORMANT_DAYS")
    before = ctx.now - dt.timedelta(days=days)
    return [
        Found(
            "medium",
            _("账号 %(u)s（%(n)s）") % {"u": u.username, "n": u.real_name},
            _("超过 %(d)s 天未登录（最近登录：%(l)s），请核实后停用。")
            % {"d": days, "l": u.last_login.date().isoformat() if u.last_login else _("从未")},
            u.department_id,
        )
        for u in _cap(accounts.dormant_accounts(before=before))
    ]


def privileged_without_second_factor(ctx: Context) -> list[Found]:
    return [
        Found(
            "high",
            _("账号 %(u)s（%(n)s）") % {"u": u.username, "n": u.real_name},
            _("特权账号未绑定已确认的双因素认证设备。"),
            u.department_id,
        )
        for u in _cap(accounts.privileged_without_second_factor())
    ]


def shared(ctx: Context) -> list[Found]:
    since = ctx.now - dt.timedelta(days=setting("SHARED_ACCOUNT_DAYS"))
    rows = audit.shared_account_signals(since=since, until=ctx.now, min_addresses=setting("SHARED_ACCOUNT_ADDRESSES"))
    return [
        Found(
            "high",
            _("账号 %(u)s") % {"u": r["actor_username"]},
            _("%(day)s 从 %(n)s 个不同地址登录，疑似多人共用账号（004 禁止共用账号）。")
            % {"day": r["day"].isoformat(), "n": r["addresses"]},
            r["department_id"],
        )
        for r in rows[: setting("MAX_FINDINGS_PER_CHECK")]
    ]


def department_moves(ctx: Context) -> list[Found]:
    since = ctx.now - dt.timedelta(days=setting("DEPARTMENT_MOVE_DAYS"))
    return [
        Found(
            "low",
            _("用户 %(u)s") % {"u": e.object_repr or e.object_id},
            _("%(at)s 所属部门变更（操作人 %(by)s），请核实其权限与授权已随之调整。")
            % {"at": e.occurred_at.date().isoformat(), "by": e.actor_username or "-"},
            None,
        )
        for e in _cap(audit.department_moves(since=since, until=ctx.now))
    ]
