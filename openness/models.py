"""Open data (数据开放, docs/features.md O1-O6): datasets published for the public, their versions, applications
for 依申请开放 data, API keys and usage counts.

A dataset (Dataset) is the stable identity of something published: a catalog resource of a
department, or data a department uploaded (Lhasa art. 29). Its content lives in versions
(DatasetVersion): a version is proposed with its items and masking rules, its masked rows are
materialised at once into a datastore table of its own (so later catalog loads never change it),
the bureau approves or returns it, and approval publishes it; the version it replaces stays
downloadable, superseded.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalog.models import DataFormat, OpenType, UpdateFrequency


class OpenKind(models.TextChoices):
    """The open types a published dataset can have (不予开放 entries are only listed: the negative list)."""

    UNCONDITIONAL = OpenType.UNCONDITIONAL.value, OpenType.UNCONDITIONAL.label
    ON_APPLICATION = OpenType.ON_APPLICATION.value, OpenType.ON_APPLICATION.label


def new_hash_salt() -> str:
    return secrets.token_hex(16)


class Upload(models.Model):
    """上传的数据文件: rows a department uploads to publish (Lhasa art. 29, ways 1 and 4), kept as text."""

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("文件名"), max_length=255)
    table_name = models.CharField(_("数据表"), max_length=63)
    columns = models.JSONField(_("列定义"), default=list)
    row_count = models.BigIntegerField(_("行数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("开放数据上传文件")
        verbose_name_plural = _("开放数据上传文件")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class Dataset(models.Model):
    """开放数据集: what the public finds, downloads and applies for; its content is in its versions."""

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="open_datasets"
    )
    entry = models.ForeignKey(
        "catalog.ResourceEntry",
        verbose_name=_("目录资源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_version = models.OneToOneField(
        "DatasetVersion", verbose_name=_("当前版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("最近更新时间"), null=True, blank=True)
    update_due_at = models.DateTimeField(_("承诺更新期限"), null=True, blank=True)
    stale_since = models.DateTimeField(_("标记为过期时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    download_count = models.BigIntegerField(_("下载次数"), default=0)
    api_call_count = models.BigIntegerField(_("接口调用次数"), default=0)
    hash_salt = models.CharField(max_length=64, default=new_hash_salt, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("开放数据集")
        verbose_name_plural = _("开放数据集")
        ordering = ["-last_published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(entry__isnull=False), name="openness_dataset_one_per_entry"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="openness_dataset_search"),
            models.Index(
                fields=["update_due_at"],
                condition=models.Q(stale_since__isnull=True, withdrawn_at__isnull=True),
                name="openness_dataset_due",
            ),
        ]

    def __str__(self):
        version = self.published_version
        return version.title if version else f"#{self.pk}"

    @property
    def audit_owner_department_id(self) -> int:
        return self.department_id

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_stale(self) -> bool:
        return self.stale_since is not None

    @property
    def is_public(self) -> bool:
        return self.published_version_id is not None


class DatasetVersion(models.Model):
    """开放数据集版本: the items, masking rules, metadata and masked rows of one publication."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被新版本替代")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Source(models.TextChoices):
        CATALOG = "catalog", _("资源目录归集数据")
        UPLOAD = "upload", _("上传文件")

    dataset = models.ForeignKey(Dataset, verbose_name=_("数据集"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)

    title = models.CharField(_("数据集名称"), max_length=200)
    summary = models.TextField(_("数据集摘要"))
    theme = models.CharField(_("主题"), max_length=50, blank=True)
    open_type = models.CharField(_("开放类型"), max_length=16, choices=OpenKind.choices)
    open_condition = models.TextField(_("开放条件"), blank=True)
    update_frequency = models.CharField(_("更新周期"), max_length=12, choices=UpdateFrequency.choices)
    data_format = models.CharField(
        _("数据格式"), max_length=12, choices=DataFormat.choices, default=DataFormat.DATABASE
    )
    change_note = models.CharField(_("更新说明"), max_length=500, blank=True)

    source = models.CharField(_("数据来源"), max_length=8, choices=Source.choices)
    source_load = models.ForeignKey(
        "catalog.DataLoad",
        verbose_name=_("归集数据版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_upload = models.ForeignKey(
        Upload, verbose_name=_("上传文件"), null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    source_table = models.CharField(_("来源数据表"), max_length=63)
    items = models.JSONField(_("信息项与脱敏规则"), default=list)
    columns = models.JSONField(_("发布的列"), default=list)
    table_name = models.CharField(_("数据表"), max_length=63, blank=True)
    row_count = models.BigIntegerField(_("行数"), default=0)
    check_report = models.JSONField(_("脱敏检查结果"), default=dict, blank=True)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("开放数据集版本")
        verbose_name_plural = _("开放数据集版本")
        ordering = ["dataset", "-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "number"],
                condition=models.Q(number__isnull=False),
                name="openness_version_unique_number",
            ),
            models.UniqueConstraint(
                fields=["dataset"], condition=models.Q(status="submitted"), name="openness_one_pending_version"
            ),
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="openness_version_status")]
        permissions = [
            ("review_datasetversion", _("审核开放数据发布")),
            ("view_all_datasets", _("查看各部门的开放数据发布")),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}" if self.number else self.title

    @property
    def audit_owner_department_id(self) -> int:
        return self.dataset.department_id

    @property
    def is_downloadable(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED) and bool(self.table_name)

    @cached_property
    def datastore_columns(self):
        from catalog import datastore

        return [datastore.Column(**c) for c in self.columns]


class Application(models.Model):
    """开放数据申请: a registered public user asks for 依申请开放 data (Lhasa art. 30; Hechi art. 34)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待答复")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")
        REREVIEW = "rereview", _("复核中")

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("数据集"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="open_data_applications",
    )
    purpose = models.TextField(_("申请用途"))
    intended_use = models.TextField(_("使用方式"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    due_at = models.DateTimeField(_("答复期限"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    rereview_reason = models.TextField(_("复核理由"), blank=True)
    rereview_requested_at = models.DateTimeField(_("申请复核时间"), null=True, blank=True)
    rereview_due_at = models.DateTimeField(_("复核期限"), null=True, blank=True)
    rereviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rereviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    rereview_comment = models.TextField(_("复核意见"), blank=True)
    overdue_warned_at = models.DateTimeField(_("超期预警时间"), null=True, blank=True)
    rereview_warned_at = models.DateTimeField(_("复核超期预警时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("开放数据申请")
        verbose_name_plural = _("开放数据申请")
        ordering = ["-submitted_at"]
        permissions = [("rereview_application", _("复核开放数据申请"))]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="pending"), name="openness_app_pending_due"),
            models.Index(
                fields=["rereview_due_at"], condition=models.Q(status="rereview"), name="openness_app_rereview_due"
            ),
        ]

    def __str__(self):
        return f"{self.dataset} · {self.applicant}"

    @property
    def audit_owner_department_id(self) -> int:
        return self.dataset.department_id

    @property
    def current_due_at(self):
        if self.status == self.Status.PENDING:
            return self.due_at
        if self.status == self.Status.REREVIEW:
            return self.rereview_due_at
        return None


class ApiKey(models.Model):
    """接口密钥: a registered user's key to the public API. Only its hash is stored; revoked at once;
    it expires (SECURITY.md 14.16) unless its owner renews it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="open_api_keys"
    )
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(_("密钥前缀"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)  # None: never (API_KEY_DAYS = 0)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def is_expired(self, now=None) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class UsageEvent(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """One download or API call of a dataset: appended without locking anything, summed into the
    dataset's counters by a periodic job (no hot-row lock per download)."""

    class Kind(models.TextChoices):
        DOWNLOAD = "download", _("下载")
        API_CALL = "api", _("接口调用")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    fmt = models.CharField(max_length=8, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("开放数据使用记录")
        verbose_name_plural = _("开放数据使用记录")


from openness.consent import Consent, PolicyDocument  # noqa: E402,F401  (issue 18 part 9)
