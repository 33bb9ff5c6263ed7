"""审计日志: one row per operation (Lhasa art. 41). No foreign keys: entries outlive what they name."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEntry(models.Model):
    """审计记录: who did what to which object, when, from where, and how it ended."""

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
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

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["department_id", "occurred_at"], name="audit_dept_time"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.outcome}"
