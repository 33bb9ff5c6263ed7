"""The checks of a self-check run: each a small function `check(ctx) -> [Found, ...]` reading the
other apps through their selectors only. CHECKS keeps their order on the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Found:
    severity: str
    subject: str
    detail: str = ""
    owner_department_id: int | None = None  # None: the bureau's (Context.bureau_id)


@dataclass(frozen=True)
class Context:
    now: dt.datetime
    bureau_id: int | None


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    run: Callable[[Context], list[Found]]


def registry() -> tuple[Check, ...]:
    from secops.selfchecks.checks import accounts, data, platform

    return (
        Check("dormant_accounts", _("长期未登录账号"), accounts.dormant),
        Check("privileged_no_2fa", _("特权账号未启用双因素认证"), accounts.privileged_without_second_factor),
        Check("shared_accounts", _("疑似共用账号"), accounts.shared),
        Check("department_moves", _("用户部门变动"), accounts.department_moves),
        Check("grants_expired_active", _("已过期仍有效的授权"), data.grants_expired_active),
        Check("grants_unused", _("长期未使用的授权"), data.grants_unused),
        Check("personal_unprotected", _("疑似个人信息未脱敏未分级"), data.personal_unprotected),
        Check("audit_verification", _("审计日志校验"), platform.audit_verification),
        Check("backup", _("备份与恢复演练"), platform.backup),
        Check("calendar", _("下一年度工作日历"), platform.calendar),
        Check("deploy_settings", _("生产环境配置检查"), platform.deploy_settings),
        Check("key_expiry", _("证书与密钥到期"), platform.key_expiry),
    )


def labels() -> dict[str, str]:
    return {c.code: str(c.label) for c in registry()}
