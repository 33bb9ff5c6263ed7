"""Stored data keys (always wrapped by the master key) and the progress of re-encryptions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredKey(models.Model):
    """A data key, wrapped by the master key whose id it names. Its id is the key number every
    value it encrypted carries, so old and new values can be told apart during a rotation."""

    class Purpose(models.TextChoices):
        TABLE = "table", _("数据表")
        INDEX = "index", _("盲索引")
        FILE = "file", _("文件")
        BACKUP = "backup", _("备份")

    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    # the data table (datastore.<scope>) or other owner of the key; "" for the platform's index key
    scope = models.CharField(_("范围"), max_length=100, blank=True, default="")
    algorithm = models.CharField(_("算法"), max_length=20)
    wrapped = models.BinaryField(_("加密的数据密钥"))
    master_key_id = models.CharField(_("主密钥标识"), max_length=32)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # set when a re-encryption has moved every value to a newer key: kept until nothing names it
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据密钥")
        verbose_name_plural = _("数据密钥")
        indexes = [models.Index(fields=["purpose", "scope"])]

    def __str__(self):
        return f"{self.purpose}:{self.scope or '-'}#{self.pk}"


class Reencryption(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """A table's re-encryption from one data key to another, resumable: rows are moved in
    batches in _row order, each batch committed with last_row, so a killed run goes on from
    last_row and a row is never left unreadable (each value names the key that encrypted it)."""

    scope = models.CharField(_("数据表"), max_length=100)
    old_key = models.ForeignKey(StoredKey, models.PROTECT, related_name="+")
    new_key = models.ForeignKey(StoredKey, models.PROTECT, related_name="+")
    last_row = models.BigIntegerField(_("已处理到的行号"), default=0)
    rows_done = models.BigIntegerField(_("已重新加密行数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("重新加密")
        verbose_name_plural = _("重新加密")
        constraints = [
            models.UniqueConstraint(
                fields=["scope"],
                condition=models.Q(finished_at__isnull=True),
                name="encryption_one_open_reencryption_per_scope",
            )
        ]
