from django import forms
from django.utils.translation import gettext_lazy as _

from catalog import rules
from catalog.models import DataItem, DeliveryMode, DutyChange, EntryVersion
from protection.grading.selectors import level_choices

BOOTSTRAP = {"class": "form-control"}


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class EntryContentForm(forms.ModelForm):
    share_modes = forms.MultipleChoiceField(
        label=_("可共享方式"),
        choices=DeliveryMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("有条件共享时选择允许的使用方式；无条件共享自动允许全部方式。"),
    )
    related_codes = forms.CharField(label=_("关联资源代码"), required=False, help_text=_("多个代码用逗号或空格分隔"))

    class Meta:
        model = EntryVersion
        fields = rules.CONTENT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "share_condition": forms.Textarea(attrs={"rows": 2}),
            "usage_requirements": forms.Textarea(attrs={"rows": 2}),
            "open_condition": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["related_codes"] = " ".join(self.instance.related_codes or [])
        self.fields["grade_level"] = grade_level_field(_("资源的分级（不低于其信息项的最高分级，由大数据局审核确认）"))
        _style(self)

    def clean_related_codes(self):
        raw = self.cleaned_data.get("related_codes") or ""
        return [c for c in raw.replace(",", " ").replace("，", " ").split() if c]

    def clean(self):
        cleaned = super().clean()
        for field, messages in rules.validate_content(rules.normalise_content(cleaned)).items():
            for message in messages:
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
                elif field not in self.fields:
                    self.add_error(None, message)
        return cleaned

    def content(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in rules.CONTENT_FIELDS}


def grade_level_field(help_text="") -> forms.TypedChoiceField:
    """Lhasa art. 39: the officer proposes one of the bureau's levels (blank: not graded yet)."""
    return forms.TypedChoiceField(
        label=_("数据分级"),
        choices=[("", _("未分级"))] + level_choices(),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
    )


class DataItemForm(forms.ModelForm):
    class Meta:
        model = DataItem
        fields = [
            "key",
            "name",
            "type",
            "length",
            "required",
            "sensitive",
            "description",
            "grade_level",
            "grade_category",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade_level"] = grade_level_field()
        _style(self)
        self.fields["key"].widget.attrs["placeholder"] = "id_number"
        self.fields["name"].widget.attrs["placeholder"] = _("身份证号")


DataItemFormSet = forms.formset_factory(DataItemForm, extra=3, can_delete=True, max_num=200, validate_max=True)


def items_from_formset(formset) -> list[dict]:
    items = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not (data.get("key") or data.get("name")):
            continue
        items.append({k: data.get(k) for k in DataItemForm.Meta.fields})
    return items


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), max_length=2000
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("数据文件"),
        help_text=_("CSV（UTF-8 或 GBK 编码）或 XLSX，第一行为信息项名称"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )


class DutyChangeForm(forms.ModelForm):
    class Meta:
        model = DutyChange
        fields = ["department", "kind", "description", "effective_date"]
        widgets = {
            "effective_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("目录表格"),
        help_text=_("按导出的 Excel 格式填写的 XLSX 文件"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
