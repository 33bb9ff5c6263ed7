"""Periodic security self-checks (安全自查) and risk assessments (风险评估).

The city opinion (004) asks for a security check every month and every half year; Tongren art.
15(七) names 安全自查 and 风险评估 among the platform's duties and Lhasa art. 38 日常检查. A run of
the checks (SelfCheckRun) leaves findings (Finding), each owned by the department that must put it
right (待整改 → 已整改, or 已接受风险 with the reason); a yearly risk assessment links the findings
it weighed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class SelfCheckRun(models.Model):
    """安全自查: one run of every check, monthly, half-yearly or on demand."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("月度自查")
        HALF_YEARLY = "half_yearly", _("半年自查")
        ON_DEMAND = "on_demand", _("临时自查")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    # "2026-12" for a monthly run, "2026-H2" for a half-yearly one; null on demand (any number of those)
    period_key = models.CharField(_("周期"), max_length=10, null=True, blank=True)  # noqa: DJ001 - NULLs stay distinct in the unique constraint
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    checks_done = models.PositiveSmallIntegerField(_("已完成检查项"), default=0)
    checks_total = models.PositiveSmallIntegerField(_("检查项总数"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("安全自查")
        verbose_name_plural = _("安全自查")
        ordering = ["-created_at", "-id"]
        permissions = [("run_selfcheck", _("发起安全自查"))]
        constraints = [
            # One monthly and one half-yearly run per period, however often beat sweeps (004).
            models.UniqueConstraint(fields=["kind", "period_key"], name="selfchecks_one_run_per_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Finding(models.Model):
    """自查发现: one problem a check found, owned by the department that must put it right."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        FIXED = "fixed", _("已整改")
        ACCEPTED = "accepted", _("已接受风险")

    run = models.ForeignKey(SelfCheckRun, verbose_name=_("安全自查"), on_delete=models.CASCADE, related_name="findings")
    check_code = models.CharField(_("检查项"), max_length=40)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    owner_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("对象"), max_length=200)
    detail = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("接受风险的理由"), blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("自查发现")
        verbose_name_plural = _("自查发现")
        ordering = ["-created_at", "-id"]
        permissions = [("resolve_finding", _("整改自查发现"))]
        indexes = [models.Index(fields=["owner_department", "status"], name="selfchecks_owner_status")]

    def __str__(self):
        return f"{self.check_code}: {self.subject}"


class FindingChange(models.Model):
    """One move of a finding (its history; the audit entry of the same move is the proof)."""

    finding = models.ForeignKey(Finding, verbose_name=_("自查发现"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=8, choices=Finding.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=8, choices=Finding.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class RiskAssessment(models.Model):
    """风险评估 (Tongren art. 15(七), Sixian art. 36): the bureau's yearly assessment."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    scope = models.TextField(_("评估范围"))
    method = models.TextField(_("评估方法"))
    conclusion = models.TextField(_("评估结论"))
    findings = models.ManyToManyField(Finding, verbose_name=_("关联的自查发现"), blank=True, related_name="assessments")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["-year", "-id"]

    def __str__(self):
        return f"{self.year} {self.title}"
