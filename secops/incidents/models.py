"""The incident register (安全事件): what happened, to whom, what was done about it, and the proof.

Tongren art. 35-37 and Sixian art. 36/39: on an incident the platform stops the harm spreading,
keeps the records, tells the departments and users who may be affected and reports to the
competent authority; Lhasa art. 38-39: data officers report incidents to the bureau, which handles
them. Drills (应急演练, Tongren art. 15(八)) are incidents marked as exercise, with the same workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LEAK = "leak", _("数据泄露")
    UNAUTHORISED = "unauthorised", _("越权访问")
    TAMPERING = "tampering", _("篡改")
    ACCOUNT_TAKEOVER = "account", _("账号被盗用")
    OUTAGE = "outage", _("服务中断")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    """The four grades of Chinese emergency plans (国家网络安全事件应急预案), lowest first."""

    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    ESPECIALLY_MAJOR = "critical", _("特别重大")


class Incident(models.Model):
    """One security incident (安全事件) or drill (应急演练)."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("已报告")
        HANDLING = "handling", _("处置中")
        CONTAINED = "contained", _("已控制")
        CLOSED = "closed", _("已关闭")

    title = models.CharField(_("事件名称"), max_length=200)
    kind = models.CharField(_("事件类型"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("事件级别"), max_length=16, choices=Level.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    is_drill = models.BooleanField(_("应急演练"), default=False)
    description = models.TextField(_("事件经过"))
    exposed = models.TextField(_("涉及的数据"), blank=True)
    advice = models.TextField(_("建议采取的措施"), blank=True)
    # None: reported by the system (the detection rules over the audit stream)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("报告部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"))
    response_due_at = models.DateTimeField(_("首次响应期限"))
    upward_due_at = models.DateTimeField(_("向主管部门报告期限"))
    responded_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    upward_reported_at = models.DateTimeField(_("向主管部门报告时间"), null=True, blank=True)
    contained_at = models.DateTimeField(_("控制时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    summary = models.TextField(_("处置总结"), blank=True)
    affected_departments = models.ManyToManyField(
        "portal.Department", verbose_name=_("受影响部门"), blank=True, related_name="+"
    )
    affected_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("受影响用户"), blank=True, related_name="+"
    )
    entries = models.ManyToManyField("catalog.ResourceEntry", verbose_name=_("涉及资源"), blank=True, related_name="+")
    grants = models.ManyToManyField("sharing.Grant", verbose_name=_("涉及授权"), blank=True, related_name="+")
    # Persons whose records were exposed, where known, as the reporter describes them (masked numbers).
    persons = models.JSONField(_("涉及个人记录"), default=list, blank=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-reported_at", "-id"]
        permissions = [
            ("report_incident", _("报告安全事件")),
            ("handle_incident", _("处置安全事件")),
        ]
        indexes = [models.Index(fields=["status", "reported_at"], name="incidents_open")]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class Action(models.Model):
    """One line of an incident's timeline (处置记录): who did what, when."""

    class Kind(models.TextChoices):
        REPORT = "report", _("报告")
        STATE = "state", _("状态变更")
        CONTAIN = "contain", _("控制措施")
        LIFT = "lift", _("解除措施")
        NOTICE = "notice", _("通知")
        UPWARD = "upward", _("向主管部门报告")
        EVIDENCE = "evidence", _("证据")
        NOTE = "note", _("记录")

    incident = models.ForeignKey(Incident, verbose_name=_("安全事件"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("处置记录")
        verbose_name_plural = _("处置记录")
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:50]


class Evidence(models.Model):
    """A piece of evidence: an audit entry, a receipt of protection.signatures, or a file (kept
    encrypted on disk like every upload, protection.encryption.files)."""

    class Kind(models.TextChoices):
        AUDIT = "audit", _("审计记录")
        RECEIPT = "receipt", _("存证回执")
        FILE = "file", _("文件")

    incident = models.ForeignKey(
        Incident, verbose_name=_("安全事件"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    # The audit table is partitioned and append-only: it is referred to by id, not by a foreign key.
    audit_entry_id = models.BigIntegerField(_("审计记录编号"), null=True, blank=True)
    receipt = models.CharField(_("回执编号"), max_length=64, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    file_path = models.CharField(max_length=300, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("文件大小"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("添加时间"))

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["added_at", "id"]

    def __str__(self):
        return self.file_name or self.receipt or f"#{self.audit_entry_id}"


class Containment(models.Model):
    """A containment action (控制措施) taken from an incident, reversible: while active, what it
    names is refused (portal.suspensions, asked by sharing, openness and the sign-in)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("暂停授权")
        USER = "user", _("停用账号")
        API_KEY = "api_key", _("暂停接口密钥")
        DEPARTMENT_ENTRY = "dept_entry", _("暂停部门对资源的访问")
        DATASET_DOWNLOADS = "downloads", _("暂停数据集下载")

    incident = models.ForeignKey(
        Incident, verbose_name=_("安全事件"), on_delete=models.CASCADE, related_name="containments"
    )
    kind = models.CharField(_("措施"), max_length=12, choices=Kind.choices)
    grant = models.ForeignKey(
        "sharing.Grant", verbose_name=_("授权"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "openness.ApiKey", verbose_name=_("接口密钥"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "catalog.ResourceEntry",
        verbose_name=_("资源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dataset = models.ForeignKey(
        "openness.Dataset", verbose_name=_("数据集"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("原因"))
    active = models.BooleanField(_("生效中"), default=True)
    # A suspended account was active before (its is_active is given back when lifted).
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("实施人"), on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("实施时间"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_reason = models.TextField(_("解除原因"), blank=True)

    class Meta:
        verbose_name = _("控制措施")
        verbose_name_plural = _("控制措施")
        ordering = ["applied_at", "id"]
        indexes = [models.Index(fields=["kind"], condition=models.Q(active=True), name="incidents_active_hold")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.target_label()}"

    def target_label(self) -> str:
        if self.kind == self.Kind.DEPARTMENT_ENTRY:
            return f"{self.department} / {self.entry}"
        target = self.grant or self.user or self.api_key or self.dataset
        return str(target)


class Notice(models.Model):
    """A notice to the affected departments and users (Tongren art. 36, Sixian art. 39): what
    happened, what was exposed and what to do, with who received it."""

    incident = models.ForeignKey(Incident, verbose_name=_("安全事件"), on_delete=models.CASCADE, related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), related_name="+")
    emails = models.JSONField(_("邮件地址"), default=list)

    class Meta:
        verbose_name = _("事件通知")
        verbose_name_plural = _("事件通知")
        ordering = ["sent_at", "id"]

    def __str__(self):
        return self.title


class UpwardReport(models.Model):
    """The report to the competent authority (向主管部门报告), generated from the incident as a Word
    file from the bureau's template and kept encrypted."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("安全事件"), on_delete=models.CASCADE, related_name="upward_reports"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("生成时间"))
    authority = models.CharField(_("报送单位"), max_length=200)
    file_path = models.CharField(max_length=300, editable=False)

    class Meta:
        verbose_name = _("事件报告")
        verbose_name_plural = _("事件报告")
        ordering = ["made_at", "id"]

    def __str__(self):
        return f"{self.incident} {self.made_at:%Y-%m-%d}"


class ReportTemplate(models.Model):
    """The template of the report to the competent authority, which the bureau edits (one row)."""

    body = models.TextField(_("模板内容"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("事件报告模板")
        verbose_name_plural = _("事件报告模板")

    def __str__(self):
        return str(_("事件报告模板"))
