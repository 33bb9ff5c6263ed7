"""Data sharing between departments (数据共享, docs/features.md S1-S8).

A department applies (Application) for a published catalog entry; the bureau (unconditional
entries) or the provider department (conditional ones) reviews it within a deadline (Deadline,
swept by a periodic job), or a scenario (Scenario) the application fits grants it at once. An
approved application becomes a Grant: the items, mode, period and masking that were approved,
nothing more (Lhasa art. 22). Each use of a grant is a GrantUse. A department disputes data it
received with an Objection; not-shared data is asked for with a Coordination request.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import DeliveryMode, ShareType
from sharing.conf import setting

Mode = DeliveryMode


def _keys(verbose_name):
    return ArrayField(models.CharField(max_length=63), verbose_name=verbose_name, default=list, blank=True)


class SharingPolicy(models.Model):
    """共享设置: the bureau's switches, one row."""

    auto_grant_unconditional = models.BooleanField(
        _("无条件共享自动授权"),
        default=False,
        help_text=_("开启后，无条件共享资源的申请提交即授权，无需大数据局逐件审核（拉萨办法第十九条）。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("共享设置")
        verbose_name_plural = _("共享设置")

    def __str__(self):
        return str(_("共享设置"))


class Scenario(models.Model):
    """应用场景 (Lhasa art. 21): an application that fits one is granted without review."""

    name = models.CharField(_("场景名称"), max_length=100)
    description = models.TextField(_("场景说明"), blank=True)
    entry = models.ForeignKey(
        "catalog.ResourceEntry", verbose_name=_("资源"), on_delete=models.PROTECT, related_name="share_scenarios"
    )
    items = _keys(_("信息项"))
    modes = ArrayField(models.CharField(max_length=12, choices=Mode.choices), verbose_name=_("使用方式"), default=list)
    departments = models.ManyToManyField(
        "portal.Department",
        verbose_name=_("适用部门"),
        blank=True,
        related_name="+",
        help_text=_("不选则适用于所有部门"),
    )
    max_days = models.PositiveIntegerField(_("最长授权天数"), default=365)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("应用场景")
        verbose_name_plural = _("应用场景")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Application(models.Model):
    """共享申请: a department asks for items of a published entry, in one mode, until an end date."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        ESCALATED = "escalated", _("逾期待裁决")
        APPROVED = "approved", _("已授权")
        REFUSED = "refused", _("未通过")
        CANCELLED = "cancelled", _("已撤回")

    class Reviewer(models.TextChoices):
        BUREAU = "bureau", _("大数据局")
        PROVIDER = "provider", _("提供部门")

    entry = models.ForeignKey(
        "catalog.ResourceEntry", verbose_name=_("资源"), on_delete=models.PROTECT, related_name="share_applications"
    )
    entry_version = models.ForeignKey(
        "catalog.EntryVersion", verbose_name=_("目录版本"), on_delete=models.PROTECT, related_name="+"
    )
    share_type = models.CharField(_("共享类型"), max_length=14, choices=ShareType.choices)
    provider_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="share_applications"
    )
    applicant_department = models.ForeignKey(
        "portal.Department", verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="share_applications"
    )
    purpose = models.TextField(_("申请用途"))
    scenario_text = models.TextField(_("应用场景"), blank=True)
    items = _keys(_("申请信息项"))
    mode = models.CharField(_("使用方式"), max_length=12, choices=Mode.choices)
    end_date = models.DateField(_("截止日期"))
    unmask_requested = _keys(_("申请不脱敏的信息项"))
    renews = models.ForeignKey(
        "Grant",
        verbose_name=_("续期的授权"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
    )
    review_by = models.CharField(_("审核方"), max_length=10, choices=Reviewer.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("审核意见"), blank=True)
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("适用的应用场景"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    auto_granted = models.BooleanField(_("自动授权"), default=False)
    # Sixian art. 39 分级防护 (docs/grading.md): a conditional share of 高度敏感 or 重要数据 needs the
    # bureau's co-approval (会签) before the provider may grant it.
    co_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会签人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_approved_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    co_approval_note = models.TextField(_("会签意见"), blank=True)

    class Meta:
        verbose_name = _("共享申请")
        verbose_name_plural = _("共享申请")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("apply_for_data", _("申请共享数据、提出异议和协调申请")),
            ("review_unconditional", _("审核无条件共享申请")),
            ("rule_escalated", _("裁决逾期上报的共享申请和协调申请")),
            ("view_all_applications", _("查看各部门的共享申请、授权和使用记录")),
        ]
        indexes = [
            models.Index(fields=["status", "review_by"], name="sharing_app_status"),
            models.Index(fields=["provider_department", "status"], name="sharing_app_provider"),
            models.Index(fields=["applicant_department", "status"], name="sharing_app_applicant"),
        ]

    def __str__(self):
        # Not get_mode_display(): it translates every choice's label on each call, and the audit
        # log describes an application by this string thousands of times in one deadline sweep.
        return f"{self.applicant_department} → {self.entry.code} ({dict(Mode.choices).get(self.mode, self.mode)})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ESCALATED)


class Grant(models.Model):
    """共享授权: exactly what an approved application may do — items, mode, period, masking."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        REVOKED = "revoked", _("已撤销")
        EXPIRED = "expired", _("已到期")
        RENEWED = "renewed", _("已续期")

    application = models.OneToOneField(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="grant"
    )
    entry = models.ForeignKey(
        "catalog.ResourceEntry", verbose_name=_("资源"), on_delete=models.PROTECT, related_name="share_grants"
    )
    provider_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    holder_department = models.ForeignKey(
        "portal.Department", verbose_name=_("使用部门"), on_delete=models.PROTECT, related_name="share_grants"
    )
    items = _keys(_("授权信息项"))
    masked_items = _keys(_("脱敏信息项"))
    unmasked_items = _keys(_("同意不脱敏的信息项"))
    mode = models.CharField(_("使用方式"), max_length=12, choices=Mode.choices)
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    end_date = models.DateField(_("截止日期"))
    expires_at = models.DateTimeField(_("失效时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.TextField(_("撤销原因"), blank=True)
    # SECURITY.md 14.6: the provider bounds how much the holder may take per day (Lhasa art. 22, minimum
    # use); blank means the portal's default (settings SHARING_DAILY_CALLS, SHARING_DAILY_ROWS).
    daily_call_quota = models.PositiveIntegerField(
        _("每日调用次数上限"), null=True, blank=True, help_text=_("不填则使用平台默认值")
    )
    daily_row_quota = models.PositiveIntegerField(
        _("每日获取行数上限"), null=True, blank=True, help_text=_("查阅和获取返回的行数；不填则使用平台默认值")
    )

    class Meta:
        verbose_name = _("共享授权")
        verbose_name_plural = _("共享授权")
        ordering = ["-granted_at", "-id"]
        permissions = [
            ("use_grant", _("使用本部门获得的共享授权")),
            ("revoke_any_grant", _("撤销任一共享授权")),
        ]
        indexes = [
            models.Index(fields=["holder_department", "entry", "status"], name="sharing_grant_holder"),
            models.Index(fields=["expires_at"], condition=Q(status="active"), name="sharing_grant_live"),
        ]

    def __str__(self):
        return f"{self.holder_department} · {self.entry.code} · {self.get_mode_display()}"

    def is_live(self, now=None) -> bool:
        return self.status == self.Status.ACTIVE and (now or timezone.now()) <= self.expires_at

    @property
    def live(self) -> bool:
        return self.is_live()

    @property
    def calls_per_day(self) -> int:
        return self.daily_call_quota or setting("DAILY_CALLS")

    @property
    def rows_per_day(self) -> int:
        return self.daily_row_quota or setting("DAILY_ROWS")


class GrantUse(models.Model):
    """使用记录 (docs/features.md S8): one use of a grant — who, when, how, how much — or a refused attempt."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        DENIED = "denied", _("拒绝")

    class Channel(models.TextChoices):
        WEB = "web", _("网页")
        API = "api", _("接口")

    grant = models.ForeignKey(Grant, verbose_name=_("授权"), on_delete=models.PROTECT, related_name="uses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("使用人"), on_delete=models.PROTECT, related_name="+"
    )
    user_department = models.ForeignKey(
        "portal.Department", verbose_name=_("使用部门"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("使用方式"), max_length=12, choices=Mode.choices)
    channel = models.CharField(_("渠道"), max_length=4, choices=Channel.choices, default=Channel.WEB)
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    amount = models.BigIntegerField(_("数量"), default=0, help_text=_("返回的行数、比对的信息项数或统计的分组数"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    used_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("使用记录")
        verbose_name_plural = _("使用记录")
        ordering = ["-used_at", "-id"]
        indexes = [
            models.Index(fields=["provider_department", "-used_at"], name="sharing_use_provider"),
            models.Index(fields=["user_department", "-used_at"], name="sharing_use_user"),
            # today's use of one grant, counted against its daily quotas at each use (SECURITY.md 14.6)
            models.Index(fields=["grant", "used_at"], name="sharing_use_grant_day"),
        ]

    def __str__(self):
        return f"{self.user_department} {self.get_mode_display()} {self.used_at:%Y-%m-%d %H:%M}"


class Objection(models.Model):
    """复核申请 (Lhasa art. 23, Hechi art. 30): a user department disputes data it received."""

    class Status(models.TextChoices):
        OPEN = "open", _("待核查")
        CONFIRMED = "confirmed", _("已确认无误")
        CORRECTED = "corrected", _("已更正")

    grant = models.ForeignKey(Grant, verbose_name=_("授权"), on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(
        "catalog.ResourceEntry", verbose_name=_("资源"), on_delete=models.PROTECT, related_name="+"
    )
    provider_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    user_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提出部门"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    rows = models.TextField(_("涉及的数据"), help_text=_("哪些记录，如身份证号、统一社会信用代码或行号"))
    items = _keys(_("涉及的信息项"))
    reason = models.TextField(_("异议理由"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("核查结果"), blank=True)

    class Meta:
        verbose_name = _("数据异议")
        verbose_name_plural = _("数据异议")
        ordering = ["-raised_at", "-id"]

    def __str__(self):
        return f"{self.user_department} → {self.entry.code} {self.raised_at:%Y-%m-%d}"


class Coordination(models.Model):
    """协调申请 (Lhasa art. 19 ¶3): not-shared data needed for a duty — negotiated with the provider,
    then, if that fails, taken up by the bureau."""

    class Status(models.TextChoices):
        OPEN = "open", _("待协商")
        AGREED = "agreed", _("协商一致")
        DECLINED = "declined", _("协商未果")
        ESCALATED = "escalated", _("已提请大数据局协调")
        CONCLUDED = "concluded", _("已办结")

    entry = models.ForeignKey(
        "catalog.ResourceEntry", verbose_name=_("资源"), on_delete=models.PROTECT, related_name="+"
    )
    provider_department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_department = models.ForeignKey(
        "portal.Department", verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.TextField(_("数据需求与履职依据"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("提供部门意见"), blank=True)
    escalated_at = models.DateTimeField(_("提请协调时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion = models.TextField(_("协调结果"), blank=True)

    class Meta:
        verbose_name = _("协调申请")
        verbose_name_plural = _("协调申请")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"{self.applicant_department} → {self.entry.code} {self.opened_at:%Y-%m-%d}"


class Deadline(models.Model):
    """办理期限: the due time of one answer owed by a department, swept by the periodic job.

    Each step (reminder one working day before, overdue warning, escalation to the bureau) is
    stamped on the row in the transaction that sends it, so it happens once whatever the job
    does. `overdue` stays true once the answer was late: the evaluation counts it (Lhasa art. 43-44)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("共享申请审核")
        OBJECTION = "objection", _("异议核查")
        COORDINATION = "coordination", _("协调答复")

    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    application = models.OneToOneField(
        Application, verbose_name=_("申请"), null=True, blank=True, on_delete=models.CASCADE, related_name="deadline"
    )
    objection = models.OneToOneField(
        Objection, verbose_name=_("异议"), null=True, blank=True, on_delete=models.CASCADE, related_name="deadline"
    )
    coordination = models.OneToOneField(
        Coordination,
        verbose_name=_("协调申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline",
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_bureau = models.BooleanField(_("由大数据局办理"), default=False)
    escalates = models.BooleanField(_("超期上报大数据局"), default=True)
    received_at = models.DateTimeField(_("收到时间"))
    remind_at = models.DateTimeField(_("提醒时间"))
    due_at = models.DateTimeField(_("期限"))
    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    warned_at = models.DateTimeField(_("已超期预警"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("已上报"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    overdue = models.BooleanField(_("超期"), default=False)

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                name="sharing_deadline_one_subject",
                condition=(
                    Q(kind="review", application__isnull=False, objection__isnull=True, coordination__isnull=True)
                    | Q(kind="objection", application__isnull=True, objection__isnull=False, coordination__isnull=True)
                    | Q(
                        kind="coordination",
                        application__isnull=True,
                        objection__isnull=True,
                        coordination__isnull=False,
                    )
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(closed_at__isnull=True), name="sharing_deadline_open"),
            models.Index(
                fields=["remind_at"],
                condition=Q(closed_at__isnull=True, reminded_at__isnull=True),
                name="sharing_deadline_remind",
            ),
            models.Index(fields=["department", "kind"], name="sharing_deadline_dept"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d}"

    @property
    def subject(self):
        return self.application or self.objection or self.coordination
