"""用户协议与隐私政策 and the consents given to them at registration (issue 18 part 9).

Each text the bureau admin publishes is a new version (PolicyDocument, never edited in place, so a
consent always points at the very words agreed to); a public user's registration records a Consent
per document with its version and time (Personal Information Protection Law art. 14: consent given
with full knowledge, and art. 17: the rules disclosed before processing).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TERMS_TEXT = """欢迎使用本平台。注册即表示您同意：
一、以真实身份注册，妥善保管账号、密码和接口密钥，不转借他人；
二、依照开放数据使用协议使用数据，注明数据来源，不得用于违法用途；
三、依申请开放的数据仅用于申请时说明的用途；
四、不得以任何方式干扰平台正常运行（如超出频率限制的批量调用）。
平台可以根据法律法规和管理需要修改本协议，修改后的版本在本页公布。"""

PRIVACY_TEXT = """本平台收集您注册时填写的真实姓名、电子邮箱和手机号码，用于账号管理、依申请开放数据的审核和必要的通知；
访问和下载的记录（时间、地址、操作）依照规定留存于审计日志，用于安全审计；
除法律法规规定或经您同意外，不向第三方提供您的个人信息；
您可以联系平台管理员查询、更正您的个人信息或注销账号。"""


class PolicyDocument(models.Model):
    """平台协议文本: one version of the user agreement or the privacy policy."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("用户协议")
        PRIVACY = "privacy", _("隐私政策")

    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    version = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        app_label = "openness"
        verbose_name = _("平台协议文本")
        verbose_name_plural = _("平台协议文本")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="openness_policy_kind_version")]

    def __str__(self):
        return f"{self.title} v{self.version}"


class Consent(models.Model):
    """用户同意记录: a user agreed to this version of a document at this time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="policy_consents"
    )
    document = models.ForeignKey(PolicyDocument, verbose_name=_("协议文本"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=8, choices=PolicyDocument.Kind.choices)
    version = models.PositiveIntegerField(_("版本号"))
    agreed_at = models.DateTimeField(_("同意时间"), auto_now_add=True)

    class Meta:
        app_label = "openness"
        verbose_name = _("用户同意记录")
        verbose_name_plural = _("用户同意记录")
        ordering = ["-agreed_at"]
        indexes = [models.Index(fields=["user", "kind"], name="openness_consent_user")]

    def __str__(self):
        return f"{self.user_id} {self.kind} v{self.version}"


# The texts of version 1 (seeded by migration 0004; the bureau admin publishes the next ones). The
# body is content the bureau owns, as stored, in Chinese; the title is the page's heading.
DEFAULT_TEXTS = {
    PolicyDocument.Kind.TERMS.value: (_("用户协议"), TERMS_TEXT),
    PolicyDocument.Kind.PRIVACY.value: (_("隐私政策"), PRIVACY_TEXT),
}
