"""Detection over the audit stream (安全监测, Tongren art. 35; Tongren art. 14(七) 安全信息通报).

Rules (DetectionRule) are switched on and tuned by the bureau; a firing opens an alert (Alert): a
warning (预警) for the bureau to look at, or at once an incident of the register (secops.incidents),
with the audit entries that fired it as evidence. One alert is open per rule and subject; later hits
are added to it. The cursor (Cursor) is where the last pass stopped in the stream.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleCode(models.TextChoices):
    CHAIN_FAILED = "chain_failed", _("审计日志完整性校验未通过")
    VOLUME = "volume", _("下载或获取量远超本人基线")
    DENIED = "denied", _("反复越权访问其他部门的对象")
    LOCKOUT = "lockout", _("同一地址集中锁定账号")
    GRANT_USE = "grant_use", _("授权在非工作时间或新地址段使用")
    NIGHT_READ = "night_read", _("夜间读取高级别敏感数据")
    SHARED_ACCOUNT = "shared_account", _("同一账号同时从多个地址使用")
    ORPHAN_KEY = "orphan_key", _("接口密钥在所有人离岗后仍被使用")


class DetectionRule(models.Model):
    """监测规则: one rule over the audit stream, its switch and its thresholds."""

    code = models.CharField(_("规则"), max_length=20, choices=RuleCode.choices, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    threshold = models.PositiveIntegerField(_("阈值"), default=1)
    factor = models.DecimalField(_("倍数"), max_digits=6, decimal_places=2, default=1)
    window = models.PositiveIntegerField(_("时间窗口"), default=0)
    opens_incident = models.BooleanField(_("直接报告安全事件"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测规则")
        verbose_name_plural = _("监测规则")
        ordering = ["id"]

    def __str__(self):
        return self.get_code_display()


class Alert(models.Model):
    """监测告警: what a rule found about one subject (a user, an address, a grant, a key)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        CLOSED = "closed", _("已处理")

    class Kind(models.TextChoices):
        WARNING = "warning", _("预警")
        INCIDENT = "incident", _("安全事件")

    rule = models.ForeignKey(DetectionRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="alerts")
    subject = models.CharField(_("对象"), max_length=120)
    subject_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WARNING)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("安全事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hits = models.PositiveIntegerField(_("命中次数"), default=0)
    opened_at = models.DateTimeField(_("发现时间"))
    last_hit_at = models.DateTimeField(_("最近命中时间"))
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("监测告警")
        verbose_name_plural = _("监测告警")
        ordering = ["-last_hit_at", "-id"]
        permissions = [("close_alert", _("处理监测告警"))]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"], condition=Q(status="open"), name="detection_one_open_alert"
            )
        ]

    def __str__(self):
        return self.title


class AlertEvidence(models.Model):  # noqa: DJ008 - shown through its alert
    """An audit entry that fired a rule. (rule, entry) is unique: an entry read twice (the stream's
    overlap, two passes at once) is evidence once."""

    alert = models.ForeignKey(Alert, verbose_name=_("告警"), on_delete=models.CASCADE, related_name="evidence")
    rule_code = models.CharField(max_length=20)
    # The audit table is partitioned and append-only: referred to by id, not by a foreign key.
    audit_entry_id = models.BigIntegerField(_("审计记录编号"))
    occurred_at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=60)

    class Meta:
        verbose_name = _("告警证据")
        verbose_name_plural = _("告警证据")
        ordering = ["occurred_at", "audit_entry_id"]
        constraints = [models.UniqueConstraint(fields=["rule_code", "audit_entry_id"], name="detection_evidence_once")]


class Cursor(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """Where the last pass stopped: the (occurred_at, id) of the last entry read and the seal horizon
    taken before reading it (audit.stream); one row, locked by the pass (SKIP LOCKED)."""

    occurred_at = models.DateTimeField(null=True)
    entry_id = models.BigIntegerField(default=0)
    horizon = models.BigIntegerField(default=0)
    entries_read = models.BigIntegerField(default=0)
    passes = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)


class GrantAddress(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """An address range (/24, /48 for IPv6) a grant was used from, learnt from the stream."""

    grant_id = models.BigIntegerField()
    network = models.CharField(max_length=50)
    first_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grant_id", "network"], name="detection_grant_network")]
