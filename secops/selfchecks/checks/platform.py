"""Checks of the platform itself (Tongren art. 15(七) 安全自查; Lhasa art. 38 日常检查): the audit
chain's verification (Lhasa art. 41), backups and restore drills, next year's working-day calendar
(deadlines, S4), the production settings (Django's deployment checks), certificate and key expiry."""

from __future__ import annotations

import datetime as dt

from django.core import checks as django_checks
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import selectors_security as audit
from portal import workdays
from protection.encryption import selectors_security as encryption
from protection.signatures import selectors_security as signatures
from secops.selfchecks.checks import Context, Found
from secops.selfchecks.conf import setting


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def audit_verification(ctx: Context) -> list[Found]:
    last = audit.last_verification()
    subject = _("审计日志哈希链")
    if last is None:
        return [Found("high", subject, _("从未校验过审计日志。"))]
    if not last.ok:
        return [
            Found("high", subject, _("最近一次校验（%(at)s）未通过，日志可能被篡改。") % {"at": _day(last.started_at)})
        ]
    days = setting("VERIFICATION_MAX_DAYS")
    if last.started_at < ctx.now - dt.timedelta(days=days):
        return [
            Found(
                "medium",
                subject,
                _("最近一次校验在 %(at)s，超过 %(d)s 天。") % {"at": _day(last.started_at), "d": days},
            )
        ]
    return []


def backup(ctx: Context) -> list[Found]:
    found = []
    last = audit.last_backup()
    days = setting("BACKUP_MAX_DAYS")
    if last is None or last.occurred_at < ctx.now - dt.timedelta(days=days):
        when = _day(last.occurred_at) if last else _("无记录")
        found.append(
            Found("high", _("数据备份"), _("最近一次备份：%(at)s；应每 %(d)s 天至少一次。") % {"at": when, "d": days})
        )
    drill = audit.last_restore_drill()
    days = setting("RESTORE_DRILL_MAX_DAYS")
    if drill is None or drill.occurred_at < ctx.now - dt.timedelta(days=days):
        when = _day(drill.occurred_at) if drill else _("无记录")
        found.append(
            Found(
                "medium",
                _("恢复演练"),
                _("最近一次恢复演练：%(at)s；应每 %(d)s 天至少一次。") % {"at": when, "d": days},
            )
        )
    return found


def calendar(ctx: Context) -> list[Found]:
    today = timezone.localdate(ctx.now)
    year = today.year + 1
    if year not in workdays.missing_calendar_years(today):
        return []
    return [
        Found(
            "medium",
            _("%(y)s 年工作日历") % {"y": year},
            _("尚未录入 %(y)s 年的节假日安排，届时的办理期限只能按周一至周五估算。") % {"y": year},
        )
    ]


def deploy_settings(ctx: Context) -> list[Found]:
    """Django's `check --deploy`, in-process: every warning or error is one finding."""
    messages = django_checks.run_checks(include_deployment_checks=True)
    return [
        Found(
            "high" if m.level >= django_checks.ERROR else "medium",
            m.id or _("配置"),
            str(m.msg)[:2000],
        )
        for m in messages
        if m.level >= django_checks.WARNING and not m.is_silenced()
    ][: setting("MAX_FINDINGS_PER_CHECK")]


def key_expiry(ctx: Context) -> list[Found]:
    found = []
    warn = ctx.now + dt.timedelta(days=setting("CERTIFICATE_WARN_DAYS"))
    for cert in signatures.certificates_expiring(before=warn)[: setting("MAX_FINDINGS_PER_CHECK")]:
        expired = cert.not_after < ctx.now
        found.append(
            Found(
                "high" if expired else "medium",
                _("证书 %(s)s（%(n)s）") % {"s": cert.subject, "n": cert.serial},
                (_("已于 %(at)s 过期，未吊销。") if expired else _("将于 %(at)s 过期，请及时续期。"))
                % {"at": _day(cert.not_after)},
                cert.key.department_id,
            )
        )
    days = setting("KEY_MAX_AGE_DAYS")
    old = encryption.keys_older_than(before=ctx.now - dt.timedelta(days=days))
    found.extend(
        Found(
            "low",
            _("数据密钥 %(k)s") % {"k": str(key)},
            _("创建于 %(at)s，已超过 %(d)s 天未轮换。") % {"at": _day(key.created_at), "d": days},
        )
        for key in old[: setting("MAX_FINDINGS_PER_CHECK")]
    )
    return found
