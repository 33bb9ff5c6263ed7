"""Forms of the incident pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from catalog.models import ResourceEntry
from openness.models import ApiKey, Dataset
from portal.models import Department
from secops.incidents.models import Containment, Kind, Level
from sharing.models import Grant


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class UsernamesField(forms.CharField):
    """Users named by their user names, separated by commas or spaces."""

    def clean(self, value):
        names = [n for n in (super().clean(value) or "").replace("，", ",").replace(",", " ").split() if n]
        users = list(get_user_model().objects.filter(username__in=names))
        unknown = sorted(set(names) - {u.username for u in users})
        if unknown:
            raise forms.ValidationError(_("没有这些用户：%(u)s") % {"u": "、".join(unknown)})
        return users


class ReportForm(StyledForm):
    title = forms.CharField(label=_("事件名称"), max_length=200)
    kind = forms.ChoiceField(label=_("事件类型"), choices=Kind.choices)
    level = forms.ChoiceField(label=_("事件级别"), choices=Level.choices)
    is_drill = forms.BooleanField(label=_("应急演练"), required=False)
    description = forms.CharField(label=_("事件经过"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    exposed = forms.CharField(
        label=_("涉及的数据"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    advice = forms.CharField(
        label=_("建议采取的措施"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("受影响部门"), queryset=Department.objects.order_by("name"), required=False
    )
    users = UsernamesField(label=_("受影响用户（用户名，以逗号分隔）"), required=False)
    persons = forms.CharField(
        label=_("涉及个人记录（每行一条，证件号请脱敏）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_persons(self):
        return [line.strip() for line in self.cleaned_data["persons"].splitlines() if line.strip()]


class ScopeForm(StyledForm):
    prefix = "scope"
    departments = forms.ModelMultipleChoiceField(
        label=_("受影响部门"), queryset=Department.objects.order_by("name"), required=False
    )
    users = UsernamesField(label=_("受影响用户（用户名，以逗号分隔）"), required=False)
    persons = forms.CharField(
        label=_("涉及个人记录（每行一条，证件号请脱敏）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_persons(self):
        return [line.strip() for line in self.cleaned_data["persons"].splitlines() if line.strip()]


class MoveForm(StyledForm):
    note = forms.CharField(label=_("说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContainForm(StyledForm):
    kind = forms.ChoiceField(label=_("措施"), choices=Containment.Kind.choices)
    grant = forms.ModelChoiceField(
        label=_("授权编号"), queryset=Grant.objects.all(), required=False, widget=forms.NumberInput
    )
    user = forms.SlugField(label=_("用户名"), required=False)
    api_key = forms.ModelChoiceField(
        label=_("接口密钥编号"), queryset=ApiKey.objects.all(), required=False, widget=forms.NumberInput
    )
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.order_by("name"), required=False)
    entry = forms.ModelChoiceField(
        label=_("资源编号"), queryset=ResourceEntry.objects.all(), required=False, widget=forms.NumberInput
    )
    dataset = forms.ModelChoiceField(
        label=_("数据集编号"), queryset=Dataset.objects.all(), required=False, widget=forms.NumberInput
    )
    reason = forms.CharField(label=_("原因"), max_length=2000)

    def clean_user(self):
        name = self.cleaned_data["user"]
        if not name:
            return None
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("没有该用户。"))
        return user

    def targets(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("grant", "user", "api_key", "department", "entry", "dataset")
        }


class LiftForm(StyledForm):
    reason = forms.CharField(label=_("解除原因"), max_length=2000)


class NoticeForm(StyledForm):
    title = forms.CharField(label=_("标题（留空则自动生成）"), max_length=190, required=False)
    body = forms.CharField(
        label=_("内容（留空则用事件经过、涉及数据和建议措施）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvidenceForm(StyledForm):
    prefix = "evidence"  # its note is not the state change's note on the same page
    audit_entry_id = forms.IntegerField(label=_("审计记录编号"), required=False, min_value=1)
    receipt = forms.CharField(label=_("回执编号"), max_length=64, required=False)
    file = forms.FileField(label=_("文件"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class TemplateForm(StyledForm):
    body = forms.CharField(label=_("模板内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 24}))
