"""The portal's own domain: departments, users, the working-day calendar."""

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from portal.roles import Role
from portal.validators import validate_uscc


class Department(models.Model):
    """政务部门: a node of the city's tree 市 → 县/区 → 部门, identified by its unified social credit code."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("县/区")
        DEPARTMENT = "department", _("部门")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    code = models.SlugField(
        _("部门编码"), max_length=30, unique=True, help_text=_("用于资源编码的部门代码，仅限字母、数字、连字符")
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_bureau = models.BooleanField(
        _("大数据管理部门"), default=False, help_text=_("大数据发展管理局：审核目录、共享与开放")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    group = models.OneToOneField(
        Group,
        verbose_name=_("部门用户组"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="department",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["level", "name"]
        permissions = [
            ("maintain_catalog", _("维护本部门资源目录与数据")),
            ("review_share_requests", _("审核向本部门提出的共享申请")),
            ("publish_open_data", _("提出本部门的开放数据发布")),
            ("view_evaluation", _("查看全市考核")),
        ]

    def __str__(self):
        return self.name

    # Allowed parent levels of each level: 市 is the root, 县/区 hang under the 市, 部门 under either.
    PARENT_LEVELS = {
        Level.CITY: (),
        Level.COUNTY: (Level.CITY,),
        Level.DEPARTMENT: (Level.CITY, Level.COUNTY),
    }

    def clean(self):
        allowed = self.PARENT_LEVELS.get(self.level, ())
        if self.parent is None:
            if allowed:
                raise ValidationError({"parent": _("县/区和部门必须有上级。")})
            return
        if self.parent.level not in allowed:
            raise ValidationError({"parent": _("上级层级不正确：市之下为县/区或部门，县/区之下为部门。")})
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("上级不能是本部门或其下级。")})
            node = node.parent

    def ancestors(self):
        node, chain = self.parent, []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self):
        return " / ".join([a.name for a in self.ancestors()] + [self.name])


class DepartmentUserObjectPermission(UserObjectPermissionBase):
    """guardian: object permissions on departments, given to a user (direct foreign key)."""

    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("部门对象权限（用户）")


class DepartmentGroupObjectPermission(GroupObjectPermissionBase):
    """guardian: object permissions on departments, given to a group (direct foreign key)."""

    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("部门对象权限（用户组）")


class User(AbstractUser):
    """实名用户: a real-name account that belongs to one department (public users have none)."""

    real_name = models.CharField(_("真实姓名"), max_length=50)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    REQUIRED_FIELDS = ["email", "real_name"]

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return f"{self.real_name or self.username}（{self.username}）"

    def get_full_name(self):
        return self.real_name or self.username

    @cached_property
    def roles(self) -> list[Role]:
        """The user's roles, most powerful first."""
        names = set(self.groups.values_list("name", flat=True))
        return [role for role in Role.ordered() if role.value in names]

    @property
    def primary_role(self) -> Role | None:
        return self.roles[0] if self.roles else None

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def clean(self):
        super().clean()
        if self.department_id is None and self.pk and self.has_role(*Role.department_roles()):
            raise ValidationError({"department": _("部门工作人员和数据管理员必须属于一个部门。")})


class CalendarYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅节假日安排) is recorded in the table.

    Once a year is here, the table alone decides it: dates without a row follow Monday to Friday.
    """

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """工作日历: a date that departs from Monday-to-Friday: a holiday or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class MissingCalendarYear(models.Model):
    """A year a deadline needed that neither the table nor chinese-calendar knows: shown to the admin."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    first_needed_at = models.DateTimeField(_("首次使用时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("缺失的年度日历")
        verbose_name_plural = _("缺失的年度日历")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class Notification(models.Model):
    """站内通知: one message to one user, sent once per (user, key) whatever retries happen."""

    user = models.ForeignKey(User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=40)
    key = models.CharField(_("去重键"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="portal_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="portal_notification_unread")]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):  # noqa: DJ008 - a bookkeeping row, never shown by name
    """A user's choice to receive (or not) e-mail for one kind of notification; in-app notices always appear."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(_("类别"), max_length=40)
    email = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="portal_notification_pref_once")]


class ApiToken(models.Model):
    """接口令牌: an API token of a user. Only its SHA-256 is stored; the key is shown once, at issue."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8, help_text=_("令牌的前 8 个字符，用于辨认"))
    key_hash = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… {self.user}"


class PolicySetting(models.Model):
    """期限与条款设置: one value of a setting the bureau owns (a deadline length, the article a rule
    cites), in force from `effective_from` until a later row's date (docs/features.md, "Deadlines by
    city": each city's regulation sets its own). Rows are never edited: the history is the table."""

    key = models.CharField(_("设置项"), max_length=60)
    value = models.CharField(_("取值"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    set_by = models.ForeignKey(User, verbose_name=_("设置人"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("依据或原因"), max_length=300)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限与条款设置")
        verbose_name_plural = _("期限与条款设置")
        ordering = ["key", "-effective_from", "-created_at", "-id"]
        indexes = [models.Index(fields=["key", "effective_from"], name="portal_policy_key_from")]

    def __str__(self):
        return f"{self.key}={self.value}（{self.effective_from}）"
