"""Forms of the open-data pages. They parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.datastore import masking
from catalog.models import UpdateFrequency
from openness.models import OpenKind


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class ProposalForm(forms.Form):
    """Metadata of a dataset version, and per source item: publish it? with which masking rule?"""

    title = forms.CharField(label=_("数据集名称"), max_length=200)
    summary = forms.CharField(label=_("数据集摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    theme = forms.CharField(label=_("主题"), max_length=50, required=False)
    update_frequency = forms.ChoiceField(label=_("更新周期"), choices=UpdateFrequency.choices)
    open_type = forms.ChoiceField(label=_("开放类型"), choices=OpenKind.choices)
    open_condition = forms.CharField(
        label=_("开放条件或依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("依申请开放时必填：申请条件、用途限制及法律依据。"),
    )
    change_note = forms.CharField(label=_("更新说明"), max_length=500, required=False)

    def __init__(self, *args, columns, sensitive=frozenset(), fixed_open_type=None, initial_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.sensitive = set(sensitive)
        if fixed_open_type:
            # a catalog resource's open type is decided by its catalog entry
            self.fields["open_type"].disabled = True
            self.initial["open_type"] = fixed_open_type
        previous = {i["key"]: i for i in (initial_items or [])}
        for column in columns:
            chosen = previous.get(column.key)
            default_rule = (chosen or {}).get("rule") or (
                masking.HIDE if column.key in self.sensitive else masking.NONE
            )
            self.fields[f"use_{column.key}"] = forms.BooleanField(
                label=column.name, required=False, initial=chosen is not None or not previous
            )
            rules = [
                (r, label)
                for r, label in masking.RULE_LABELS.items()
                if r != masking.YEAR or column.type in masking.YEAR_TYPES
            ]
            self.fields[f"rule_{column.key}"] = forms.ChoiceField(
                label=_("脱敏规则"), choices=rules, initial=default_rule
            )
            for name, label in (("first", _("前 n 位")), ("last", _("后 m 位"))):
                self.fields[f"{name}_{column.key}"] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=masking.MAX_KEEP,
                    initial=(chosen or {}).get(name) or None,
                    widget=forms.NumberInput(attrs={"placeholder": label}),
                )
        _style(self)

    def item_rows(self):
        """(column, sensitive, use field, rule field, first field, last field) for the template."""
        return [
            (
                c,
                c.key in self.sensitive,
                self[f"use_{c.key}"],
                self[f"rule_{c.key}"],
                self[f"first_{c.key}"],
                self[f"last_{c.key}"],
            )
            for c in self.columns
        ]

    def metadata(self) -> dict:
        data = {
            f: self.cleaned_data.get(f)
            for f in ("title", "summary", "theme", "update_frequency", "open_type", "open_condition", "change_note")
        }
        if self.fields["open_type"].disabled:
            data.pop("open_type")
        return data

    def items(self) -> list[dict]:
        return [
            {
                "key": column.key,
                "rule": self.cleaned_data.get(f"rule_{column.key}"),
                "first": self.cleaned_data.get(f"first_{column.key}") or 0,
                "last": self.cleaned_data.get(f"last_{column.key}") or 0,
            }
            for column in self.columns
            if self.cleaned_data.get(f"use_{column.key}")
        ]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("数据文件"), help_text=_("CSV（UTF-8 或 GBK 编码）或 XLSX；第一行为各列名称。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        _style(self)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ApplicationForm(forms.Form):
    purpose = forms.CharField(
        label=_("申请用途"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("如：研究全市企业分布，用于学位论文。"),
    )
    intended_use = forms.CharField(
        label=_("使用方式"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("如：仅用于统计分析，不向第三方提供，不用于商业用途。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("approve", _("同意")), ("refuse", _("不同意"))], widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("答复意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("不同意时必须说明理由。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RegistrationForm(forms.Form):
    real_name = forms.CharField(label=_("真实姓名"), max_length=50)
    email = forms.EmailField(label=_("电子邮箱"), max_length=150, help_text=_("用作登录账号。"))
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，须包含字母、数字和特殊字符。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("密钥名称"), max_length=50, help_text=_("用于区分不同用途，如：科研项目。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
