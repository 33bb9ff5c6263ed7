"""Keys, key records (certificates), receipts, signed roots and signed decisions (Hechi art. 40-41)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """签名密钥: a key pair the platform holds; the private half only wrapped (protection.signatures.keystore)."""

    class Owner(models.TextChoices):
        ROOT = "root", _("平台根密钥")
        PLATFORM = "platform", _("平台签名密钥")
        DEPARTMENT = "department", _("部门签名密钥")

    owner = models.CharField(_("持有者"), max_length=12, choices=Owner.choices)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    algorithm = models.CharField(_("算法"), max_length=16)
    public_key = models.TextField(_("公钥"))
    wrapped_private = models.BinaryField(_("加密保存的私钥"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")

    def __str__(self):
        return f"{self.get_owner_display()} {self.algorithm} #{self.pk}"


class Certificate(models.Model):
    """数字证书: a signed key record the platform's root issues for a key, with validity dates; revocable."""

    serial = models.CharField(_("序列号"), max_length=32, unique=True)
    key = models.ForeignKey(SigningKey, verbose_name=_("密钥"), on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(
        "self", verbose_name=_("签发者"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("主体"), max_length=200)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    body = models.TextField(_("证书内容"))
    signature = models.TextField(_("签名"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("数字证书")
        verbose_name_plural = _("数字证书")
        ordering = ["-not_before", "-id"]

    def __str__(self):
        return f"{self.subject} ({self.serial})"


class SignedRoot(models.Model):
    """签名根: the head of a Merkle tree of receipts, signed by the platform (every minute, and a day's root)."""

    class Kind(models.TextChoices):
        BATCH = "batch", _("批次")
        DAY = "day", _("日终")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    number = models.PositiveIntegerField(_("编号"), unique=True)
    day = models.DateField(_("日期"), null=True, blank=True)
    tree_size = models.PositiveIntegerField(_("叶子数"))
    root_hash = models.CharField(_("根哈希"), max_length=64)
    leaf_hashes = models.BinaryField(_("叶子哈希"))
    statement = models.TextField(_("签名内容"))
    signature = models.TextField(_("签名"))
    certificate = models.ForeignKey(Certificate, verbose_name=_("签名证书"), on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签名时间"))

    class Meta:
        verbose_name = _("签名根")
        verbose_name_plural = _("签名根")
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=models.Q(kind="day"), name="signatures_one_day_root")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.number}"


class Receipt(models.Model):
    """交付回执: one delivery of shared data (or an audit chain head), hashed into the next signed root."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("数据交付")
        AUDIT_HEAD = "audit_head", _("审计链头")

    uid = models.UUIDField(_("回执编号"), default=uuid.uuid4, primary_key=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.DELIVERY)
    grant_id = models.PositiveBigIntegerField(_("授权"), null=True, blank=True, db_index=True)
    mode = models.CharField(_("使用方式"), max_length=16, blank=True)
    requester_id = models.PositiveBigIntegerField(_("使用人"), null=True, blank=True)
    requester_department_id = models.PositiveBigIntegerField(_("使用部门"), null=True, blank=True)
    provider_department_id = models.PositiveBigIntegerField(_("提供部门"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    rows = models.PositiveBigIntegerField(_("记录数"), default=0)
    size = models.PositiveBigIntegerField(_("字节数"), default=0)
    digest = models.CharField(_("摘要"), max_length=64)
    complete = models.BooleanField(_("完整交付"), default=True)
    body = models.TextField(_("回执内容"))
    root = models.ForeignKey(
        SignedRoot, verbose_name=_("签名根"), null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    leaf_index = models.PositiveIntegerField(_("叶子序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("交付回执")
        verbose_name_plural = _("交付回执")
        ordering = ["-created_at", "-uid"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(root__isnull=True), name="signatures_unsealed_at")
        ]

    def __str__(self):
        return str(self.uid)


class SignedDecision(models.Model):
    """签名决定: a provider's approval or refusal, or a revocation, signed with the deciding department's key."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("同意共享")
        REFUSAL = "refusal", _("不予共享")
        REVOCATION = "revocation", _("撤销授权")

    uid = models.UUIDField(_("编号"), default=uuid.uuid4, primary_key=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    application_id = models.PositiveBigIntegerField(_("申请"), null=True, blank=True, db_index=True)
    grant_id = models.PositiveBigIntegerField(_("授权"), null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("决定部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_department_id = models.PositiveBigIntegerField(_("申请部门"), null=True, blank=True)
    actor_id = models.PositiveBigIntegerField(_("决定人"), null=True, blank=True)
    decided_at = models.DateTimeField(_("时间"))
    statement = models.TextField(_("签名内容"))
    signature = models.TextField(_("签名"))
    certificate = models.ForeignKey(Certificate, verbose_name=_("签名证书"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("签名决定")
        verbose_name_plural = _("签名决定")
        ordering = ["-decided_at", "-uid"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.uid}"
