"""Forms of the account and department pages (issue 19 part 6). The rules are the services'; the
forms parse the input and offer only the choices the actor has (accounts.selectors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.services.departments import FIELDS as DEPARTMENT_FIELDS
from portal.models import Department
from portal.roles import Role

_TEXT = {"class": "form-control"}


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}),
        help_text=_("登录用，创建后不能修改；字母、数字和 @/./+/-/_"),
        error_messages={"required": _("请填写用户名。")},
    )
    real_name = forms.CharField(
        label=_("真实姓名"),
        max_length=50,
        widget=forms.TextInput(attrs=_TEXT),
        error_messages={"required": _("请填写真实姓名。")},
    )
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("（无，仅限大数据局角色）"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("请选择列表中的部门。")},
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个角色。"), "invalid_choice": _("角色不存在。")},
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs=_TEXT),
        help_text=_("设置密码的链接会发送到此邮箱"),
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False, widget=forms.TextInput(attrs=_TEXT))
    title = forms.CharField(label=_("职务"), max_length=50, required=False, widget=forms.TextInput(attrs=_TEXT))

    def __init__(self, *args, actor, user=None, **kwargs):
        if user is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "real_name": user.real_name,
                "department": user.department_id,
                "roles": [r.value for r in user.roles],
                "email": user.email,
                "phone": user.phone,
                "title": user.title,
            }
        super().__init__(*args, **kwargs)
        departments = selectors.departments_for_staff_of(actor)
        self.fields["department"].queryset = departments
        if not selectors.manages_every_department(actor):
            self.fields["department"].empty_label = None
            self.fields["department"].initial = actor.department_id
        if user is not None:
            del self.fields["username"]
        # Every role parses (a role the actor may not give is the service's 403, not a form error);
        # only the grantable ones are offered.
        grantable = selectors.grantable_roles(actor)
        self.fields["roles"].widget.choices = [(r.value, r.label) for r in grantable]
        self.fields["roles"].help_text = (
            "" if selectors.manages_every_department(actor) else _("部门数据管理员只能授予部门角色。")
        )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("停用原因"), max_length=200, required=False, widget=forms.TextInput(attrs={**_TEXT, "placeholder": ""})
    )


class UserFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("全部部门"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    role = forms.ChoiceField(
        label=_("角色"),
        required=False,
        choices=[("", _("全部角色"))] + list(Role.choices),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("1", _("启用")), ("0", _("已停用"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = forms.CharField(
        label=_("姓名或用户名"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments_for_staff_of(actor)
        self.fields["role"].choices = [("", _("全部角色"))] + [
            (r.value, r.label) for r in selectors.grantable_roles(actor)
        ]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS
        widgets = {
            "name": forms.TextInput(attrs=_TEXT),
            "short_name": forms.TextInput(attrs=_TEXT),
            "code": forms.TextInput(attrs=_TEXT),
            "uscc": forms.TextInput(attrs=_TEXT),
            "level": forms.Select(attrs={"class": "form-select"}),
            "parent": forms.Select(attrs={"class": "form-select"}),
            "contact_name": forms.TextInput(attrs=_TEXT),
            "contact_phone": forms.TextInput(attrs=_TEXT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Department.objects.exclude(level=Department.Level.DEPARTMENT).order_by("level", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("（无，仅限市级）")
