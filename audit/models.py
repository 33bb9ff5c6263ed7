"""审计日志: one row per operation (Lhasa art. 41). No foreign keys: entries outlive what they name.

The entry table is range-partitioned by month in PostgreSQL (see migration 0002 and
audit.services.partitions); the tables of this module are append-only at the database level
(triggers and privileges, see audit.services.dbroles), except UsageSummary, which is derived.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AppendOnlyError(Exception):
    """An attempt to change or delete a row of the audit log from Python."""


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed or deleted (the database refuses it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only")


class AuditEntry(AppendOnlyModel):
    """审计记录: who did what to which object, when, from where, and how it ended.

    Partitioned by month on occurred_at (primary key (id, occurred_at) in the database).
    `txid` is set by a database trigger to the inserting transaction's id; the seal job uses it to
    know which entries are final (see audit.services.chain).
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_username = models.CharField(_("账号"), max_length=150, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    department_id = models.BigIntegerField(_("部门ID"), null=True, blank=True)
    department_name = models.CharField(_("部门"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=30, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    client_ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # The department whose data or object the operation concerns (the provider), for usage logs (A5).
    owner_department_id = models.BigIntegerField(_("数据提供部门ID"), null=True, blank=True)
    txid = models.BigIntegerField(_("事务号"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        # Nobody may change or delete entries: those permissions do not even exist.
        default_permissions = ("view",)
        permissions = [("export_auditentry", _("导出审计记录"))]
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="audit_time_id"),
            models.Index(fields=["department_id", "occurred_at"], name="audit_dept_time"),
            models.Index(fields=["actor_id", "occurred_at"], name="audit_actor_time"),
            models.Index(
                fields=["action", "occurred_at"],
                name="audit_action_time",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object"),
            models.Index(fields=["owner_department_id", "occurred_at"], name="audit_owner_time"),
            models.Index(fields=["txid", "id"], name="audit_txid"),
            models.Index(fields=["request_id"], name="audit_request", condition=~Q(request_id="")),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.outcome}"


class AuditBlock(AppendOnlyModel):
    """审计链区块: the entries of one month that one seal run found final, chained by hashes.

    Membership is exact: every entry with txid_lo <= txid < txid_hi whose occurred_at lies in
    `month` belongs to the block, in (txid, id) order; entry_ids and entry_digests list them.
    block_hash = SHA-256(prev_hash || header || for each entry: id (8 bytes) || digest (32 bytes)).
    """

    number = models.BigIntegerField(_("区块号"), primary_key=True)
    month = models.DateField(_("月份"))
    txid_lo = models.BigIntegerField(_("起始事务号"))
    txid_hi = models.BigIntegerField(_("截止事务号"))
    entry_count = models.IntegerField(_("记录数"))
    first_id = models.BigIntegerField(_("首条记录ID"), null=True)
    last_id = models.BigIntegerField(_("末条记录ID"), null=True)
    entry_ids = ArrayField(models.BigIntegerField(), verbose_name=_("记录ID"), default=list)
    entry_digests = models.BinaryField(_("记录摘要"), default=bytes)
    prev_hash = models.CharField(_("前一区块哈希"), max_length=64)
    block_hash = models.CharField(_("区块哈希"), max_length=64, unique=True)
    sealed_at = models.DateTimeField(_("封存时间"))

    class Meta:
        verbose_name = _("审计链区块")
        verbose_name_plural = _("审计链区块")
        ordering = ["number"]
        default_permissions = ()
        indexes = [
            models.Index(fields=["month", "number"], name="audit_block_month"),
            models.Index(fields=["txid_lo", "txid_hi"], name="audit_block_txids"),
        ]

    def __str__(self):
        return f"#{self.number} {self.block_hash[:12]}"


class AuditVerification(AppendOnlyModel):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """审计日志完整性校验: one run of verify_audit and what it found."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))
    trigger = models.CharField(_("触发方式"), max_length=20)
    ok = models.BooleanField(_("通过"))
    blocks_checked = models.BigIntegerField(_("校验区块数"), default=0)
    entries_checked = models.BigIntegerField(_("校验记录数"), default=0)
    unsealed_entries = models.BigIntegerField(_("待封存记录数"), default=0)
    altered_ids = models.JSONField(_("被篡改的记录"), default=list)
    removed_ids = models.JSONField(_("被删除的记录"), default=list)
    inserted_ids = models.JSONField(_("被插入的记录"), default=list)
    block_problems = models.JSONField(_("区块问题"), default=list)
    head_problems = models.JSONField(_("链头问题"), default=list)
    last_block_number = models.BigIntegerField(_("最新区块号"), null=True)
    last_block_hash = models.CharField(_("最新区块哈希"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("完整性校验")
        verbose_name_plural = _("完整性校验")
        ordering = ["-started_at", "-id"]
        default_permissions = ("view",)

    @property
    def problem_count(self) -> int:
        return (
            len(self.altered_ids)
            + len(self.removed_ids)
            + len(self.inserted_ids)
            + len(self.block_problems)
            + len(self.head_problems)
        )


class AuditHeadExport(AppendOnlyModel):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """链头存证: the day's head of the chain, written to the auditors' file and sent to them."""

    day = models.DateField(_("日期"), unique=True)
    block_number = models.BigIntegerField(_("区块号"))
    block_hash = models.CharField(_("区块哈希"), max_length=64)
    file_path = models.CharField(_("文件"), max_length=500)
    exported_at = models.DateTimeField(_("导出时间"))
    notified = models.IntegerField(_("通知人数"), default=0)

    class Meta:
        verbose_name = _("链头存证")
        verbose_name_plural = _("链头存证")
        ordering = ["-day"]
        default_permissions = ()


class AuditPartitionDrop(AppendOnlyModel):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """到期清理: one monthly partition dropped by the retention job (A2), and the chain at that point."""

    partition = models.CharField(_("分区"), max_length=63)
    month = models.DateField(_("月份"), unique=True)
    range_from = models.DateTimeField(_("起始时间"))
    range_to = models.DateTimeField(_("截止时间"))
    row_count = models.BigIntegerField(_("记录数"))
    first_block = models.BigIntegerField(_("首个区块号"), null=True)
    last_block = models.BigIntegerField(_("末个区块号"), null=True)
    chain_head_number = models.BigIntegerField(_("当时链头区块号"), null=True)
    chain_head_hash = models.CharField(_("当时链头哈希"), max_length=64, blank=True)
    verified = models.BooleanField(_("删除前校验通过"))
    problems = models.JSONField(_("删除前发现的问题"), default=list)
    retention_years = models.IntegerField(_("保存年限"))
    dropped_at = models.DateTimeField(_("删除时间"))

    class Meta:
        verbose_name = _("到期分区清理")
        verbose_name_plural = _("到期分区清理")
        ordering = ["-month"]
        default_permissions = ()


class UsageSummary(models.Model):
    """月度使用日志汇总: per department and month, how its data was used (provider) or how it used
    data (user) — Lhasa art. 41, pushed to the providing and using departments (sent by the monthly notification, docs/features.md A5)."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("数据提供部门")
        USER = "user", _("数据使用部门")

    department_id = models.BigIntegerField(_("部门ID"))
    department_name = models.CharField(_("部门"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    month = models.DateField(_("月份"))
    entry_count = models.BigIntegerField(_("记录数"), default=0)
    figures = models.JSONField(_("统计"), default=dict)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("月度使用汇总")
        verbose_name_plural = _("月度使用汇总")
        ordering = ["-month", "department_id", "role"]
        default_permissions = ()
        permissions = [("view_usage", _("查看本部门数据使用日志"))]
        constraints = [models.UniqueConstraint(fields=["department_id", "role", "month"], name="audit_usage_once")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.department_name} {self.role}"


class AuditTxidBase(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """事务号基数: added to PostgreSQL's transaction id to number entries (txid).

    Zero until the database is restored into a new PostgreSQL cluster, whose transaction ids start
    again from the beginning: the first entry (or seal run) there finds the counter below the chain
    and moves the base above every existing entry, once (audit_txid_base() in migration 0005).
    Changed only by that function; the application's role may read it.
    """

    id = models.SmallIntegerField(primary_key=True, default=1)
    base = models.BigIntegerField(_("基数"), default=0)
    adopted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事务号基数")
        verbose_name_plural = _("事务号基数")
        default_permissions = ()


class VerificationJob(models.Model):
    """立即校验: an auditor's request to verify the chain now, run by a Celery job; the page polls it.

    Not append-only (it moves queued → running → done/failed); what the run found is the
    AuditVerification it points to, which is.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("校验中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("运行出错")

    requested_by_id = models.BigIntegerField(_("发起人ID"))
    requested_by_name = models.CharField(_("发起人"), max_length=150, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    blocks_total = models.BigIntegerField(_("待校验区块数"), default=0)
    created_at = models.DateTimeField(_("发起时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    verification_id = models.BigIntegerField(_("校验结果ID"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("立即校验任务")
        verbose_name_plural = _("立即校验任务")
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"#{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
