"""The resource catalog (政务信息资源目录): entries, their versions and data items, loads, update duties.

An entry (ResourceEntry) is the stable identity of a resource: its code and provider department.
Its content lives in versions (EntryVersion): a version is edited while draft or returned,
frozen once submitted, and becomes the published one when the bureau approves it; the version
it replaces is kept, superseded, so every version stays readable (docs/features.md C2).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from protection.grading.constants import GradeCategory


class Category(models.TextChoices):
    BASE = "base", _("基础信息资源")
    THEME = "theme", _("主题信息资源")
    DEPARTMENT = "department", _("部门信息资源")


class BaseKind(models.TextChoices):
    """The base data of Lhasa art. 10(2): always shared unconditionally."""

    POPULATION = "population", _("人口")
    LEGAL_PERSON = "legal_person", _("法人")
    GEO = "geo", _("自然资源和空间地理")
    E_LICENSE = "e_license", _("电子证照")


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NOT_SHARED = "not_shared", _("不予共享")


class OpenType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件开放")
    ON_APPLICATION = "on_application", _("依申请开放")
    NOT_OPEN = "not_open", _("不予开放")


class ShareMethod(models.TextChoices):
    API = "api", _("接口")
    FILE = "file", _("文件")
    TABLE = "table", _("库表")


class DeliveryMode(models.TextChoices):
    """Lhasa art. 8-9: the four ways a department may use shared data."""

    QUERY = "query", _("查阅")
    COMPARE = "compare", _("比对")
    STATISTICS = "statistics", _("统计")
    PULL = "pull", _("获取")


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")
    IRREGULAR = "irregular", _("不定期")


class DataFormat(models.TextChoices):
    DATABASE = "database", _("数据库")
    SPREADSHEET = "spreadsheet", _("电子表格")
    DOCUMENT = "document", _("电子文件")
    IMAGE = "image", _("图形图像")
    STREAM = "stream", _("流媒体")
    OTHER = "other", _("其他")


class ItemType(models.TextChoices):
    STRING = "string", _("字符型")
    INTEGER = "integer", _("整数型")
    DECIMAL = "decimal", _("数值型")
    DATE = "date", _("日期型")
    DATETIME = "datetime", _("日期时间型")
    BOOLEAN = "boolean", _("布尔型")
    ID_NUMBER = "id_number", _("身份证号")
    USCC = "uscc", _("统一社会信用代码")
    PHONE = "phone", _("电话号码")


class ResourceEntry(models.Model):
    """资源目录条目: the identity of a resource; its content is in its versions."""

    code = models.CharField(_("资源代码"), max_length=40, unique=True)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="catalog_entries"
    )
    published_version = models.OneToOneField(
        "EntryVersion", verbose_name=_("已发布版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    working_version = models.OneToOneField(
        "EntryVersion", verbose_name=_("工作版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤销原因"), blank=True)
    last_maintained_at = models.DateTimeField(_("最近维护时间"), null=True, blank=True)
    maintenance_flagged_at = models.DateTimeField(_("标记需年度维护时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资源目录")
        verbose_name_plural = _("资源目录")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "code"], name="catalog_entry_dept")]

    def __str__(self):
        version = self.published_version or self.working_version
        return f"{self.code} {version.name if version else ''}".strip()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def audit_owner_department_id(self) -> int:
        """The provider whose usage log shows operations on this entry (A5)."""
        return self.department_id

    @property
    def current(self) -> "EntryVersion | None":
        """The version others see: the published one, else (never published) the working one."""
        return self.published_version or self.working_version


class EntryCodeCounter(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """Per-department sequence of resource codes (locked while a code is taken)."""

    department = models.OneToOneField("portal.Department", on_delete=models.CASCADE, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class EntryVersion(models.Model):
    """资源目录版本: the content of an entry at one version, with the fields of C1."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被新版本替代")
        WITHDRAWN = "withdrawn", _("已撤销")

    entry = models.ForeignKey(ResourceEntry, verbose_name=_("资源"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    name = models.CharField(_("资源名称"), max_length=200)
    summary = models.TextField(_("资源摘要"))
    category = models.CharField(_("资源分类"), max_length=12, choices=Category.choices)
    base_kind = models.CharField(_("基础资源类别"), max_length=12, choices=BaseKind.choices, blank=True)
    theme = models.CharField(_("主题"), max_length=50, blank=True)
    data_format = models.CharField(
        _("资源格式"), max_length=12, choices=DataFormat.choices, default=DataFormat.DATABASE
    )
    update_frequency = models.CharField(_("更新周期"), max_length=12, choices=UpdateFrequency.choices)
    share_type = models.CharField(_("共享类型"), max_length=14, choices=ShareType.choices)
    share_condition = models.TextField(_("共享条件"), blank=True)
    share_modes = ArrayField(
        models.CharField(max_length=12, choices=DeliveryMode.choices),
        verbose_name=_("可共享方式"),
        default=list,
        blank=True,
    )
    share_method = models.CharField(_("共享方式"), max_length=8, choices=ShareMethod.choices, default=ShareMethod.API)
    usage_requirements = models.TextField(_("使用要求"), blank=True)
    open_type = models.CharField(_("开放类型"), max_length=16, choices=OpenType.choices, default=OpenType.NOT_OPEN)
    open_condition = models.TextField(_("开放条件"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    related_codes = ArrayField(
        models.CharField(max_length=40), verbose_name=_("关联资源代码"), default=list, blank=True
    )
    publish_date = models.DateField(_("发布日期"), null=True, blank=True)
    change_note = models.CharField(_("修订说明"), max_length=500, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编辑人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
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
    # Lhasa art. 39 分级分类管理 (docs/grading.md): the officer proposes, the bureau reviewer confirms.
    # Null level: not graded yet (the rules then read the suggestion, protection.grading.services).
    grade_level = models.PositiveSmallIntegerField(_("数据分级"), null=True, blank=True)
    grade_category = models.CharField(
        _("数据分类"), max_length=10, choices=GradeCategory.choices, default=GradeCategory.GENERAL
    )
    grade_confirmed = models.BooleanField(_("分级已确认"), default=False)
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分级确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade_confirmed_at = models.DateTimeField(_("分级确认时间"), null=True, blank=True)

    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("资源目录版本")
        verbose_name_plural = _("资源目录版本")
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_version_unique_number")]
        permissions = [
            ("review_entryversion", _("审核资源目录")),
            ("view_all_entries", _("查看各部门未发布的目录")),
            ("view_all_rows", _("查看各部门归集的数据")),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="catalog_version_search"),
            models.Index(fields=["status", "share_type"], name="catalog_version_status"),
            # The catalog list's default order: the newest 20 without sorting every visible version.
            models.Index(fields=["-publish_date", "-id"], name="catalog_version_newest"),
        ]

    def __str__(self):
        return f"{self.entry.code} v{self.number} {self.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DataItem(models.Model):
    """信息项: one field of a resource version, and a column of its loaded data."""

    version = models.ForeignKey(EntryVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    key = models.CharField(
        _("字段代码"), max_length=63, help_text=_("小写字母开头，仅含小写字母、数字和下划线，如 id_number")
    )
    name = models.CharField(_("信息项名称"), max_length=100)
    type = models.CharField(_("数据类型"), max_length=12, choices=ItemType.choices, default=ItemType.STRING)
    length = models.PositiveIntegerField(_("长度"), null=True, blank=True)
    required = models.BooleanField(_("必填"), default=False)
    sensitive = models.BooleanField(_("敏感"), default=False)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    grade_level = models.PositiveSmallIntegerField(_("数据分级"), null=True, blank=True)
    grade_category = models.CharField(
        _("数据分类"), max_length=10, choices=GradeCategory.choices, default=GradeCategory.GENERAL
    )
    grade_confirmed = models.BooleanField(_("分级已确认"), default=False)

    class Meta:
        verbose_name = _("信息项")
        verbose_name_plural = _("信息项")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="catalog_item_unique_key"),
            models.UniqueConstraint(fields=["version", "name"], name="catalog_item_unique_name"),
        ]

    def __str__(self):
        return f"{self.name}（{self.key}）"


class DataLoad(models.Model):
    """数据归集: one upload of a resource's rows. A successful load is a data version: a typed table."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("成功")
        FAILED = "failed", _("失败")
        REMOVED = "removed", _("已删除")

    entry = models.ForeignKey(ResourceEntry, verbose_name=_("资源"), on_delete=models.PROTECT, related_name="loads")
    entry_version = models.ForeignKey(
        EntryVersion, verbose_name=_("目录版本"), on_delete=models.PROTECT, related_name="loads"
    )
    data_version = models.PositiveIntegerField(_("数据版本"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    filename = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("文件路径"), max_length=500, blank=True)
    file_size = models.BigIntegerField(_("文件大小"), default=0)
    table_name = models.CharField(_("数据表"), max_length=63, blank=True)
    columns = models.JSONField(_("列定义"), default=list)
    row_count = models.BigIntegerField(_("行数"), default=0)
    error_count = models.BigIntegerField(_("错误行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("数据归集")
        verbose_name_plural = _("数据归集")
        ordering = ["entry", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "data_version"],
                condition=models.Q(data_version__isnull=False),
                name="catalog_load_unique_version",
            ),
        ]

    def __str__(self):
        return f"{self.entry.code} {self.filename} {self.get_status_display()}"

    @property
    def audit_owner_department_id(self) -> int:
        return self.entry.department_id


class DutyChange(models.Model):
    """A change in a department's duties or in the law (Lhasa art. 7): its entries must be updated."""

    class Kind(models.TextChoices):
        LAW = "law", _("法律法规修订")
        DUTY = "duty", _("行政管理职能变化")

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="duty_changes"
    )
    kind = models.CharField(_("变化类型"), max_length=8, choices=Kind.choices)
    description = models.TextField(_("变化说明"))
    effective_date = models.DateField(_("变化发生日期"))
    due_at = models.DateTimeField(_("更新期限"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职能或法规变化")
        verbose_name_plural = _("职能或法规变化")
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.department} {self.get_kind_display()} {self.effective_date}"


class UpdateDuty(models.Model):
    """An entry's duty to be updated by a deadline in working days; swept by a periodic job."""

    class Status(models.TextChoices):
        OPEN = "open", _("待更新")
        DONE = "done", _("已完成")

    change = models.ForeignKey(DutyChange, verbose_name=_("变化"), on_delete=models.CASCADE, related_name="duties")
    entry = models.ForeignKey(
        ResourceEntry, verbose_name=_("资源"), on_delete=models.CASCADE, related_name="update_duties"
    )
    due_at = models.DateTimeField(_("期限"))
    status = models.CharField(_("状态"), max_length=6, choices=Status.choices, default=Status.OPEN)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    overdue_warned_at = models.DateTimeField(_("超期预警时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.CharField(_("完成说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("目录更新任务")
        verbose_name_plural = _("目录更新任务")
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["change", "entry"], name="catalog_duty_unique")]
        indexes = [models.Index(fields=["due_at"], condition=models.Q(status="open"), name="catalog_duty_open_due")]

    def __str__(self):
        return f"{self.entry.code} {self.due_at:%Y-%m-%d}"


class CatalogImport(models.Model):
    """目录导入: one uploaded workbook of catalog entries (docs/features.md C6). SECURITY.md 14.7: large workbooks are
    imported by a Celery job; every import, large or small, is one transaction (no half import)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    filename = models.CharField(_("文件名"), max_length=255)
    file_path = models.CharField(_("文件路径"), max_length=500, blank=True)
    file_size = models.BigIntegerField(_("文件大小"), default=0)
    unpacked_size = models.BigIntegerField(_("解压后大小"), default=0)
    in_background = models.BooleanField(_("后台导入"), default=False)
    rows = models.PositiveIntegerField(_("已读行数"), default=0)
    created = models.JSONField(_("新建的资源"), default=list, blank=True)
    refused = models.JSONField(_("拒绝的行"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("目录导入")
        verbose_name_plural = _("目录导入")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(status="pending"), name="catalog_import_pending")
        ]

    def __str__(self):
        return f"{self.filename} {self.get_status_display()}"

    @property
    def audit_owner_department_id(self) -> int:
        return self.department_id

    @property
    def is_done(self) -> bool:
        return self.status != self.Status.PENDING


from catalog.synonyms import SearchSynonym  # noqa: E402,F401  (issue 18 part 8)
