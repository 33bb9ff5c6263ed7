"""Forms of the sharing pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog import selectors as catalog_selectors
from catalog.models import ShareType
from portal.models import Department
from sharing.conf import setting
from sharing.models import Mode, Scenario
from sharing.services.applications import NARROWER

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def item_choices(version, keys=None, *, sensitive_only=False):
    items = version.items.order_by("position")
    choices = []
    for item in items:
        if keys is not None and item.key not in keys:
            continue
        if sensitive_only and not item.sensitive:
            continue
        label = f"{item.name}（{item.key}）" + (" · " + str(_("敏感")) if item.sensitive else "")
        choices.append((item.key, label))
    return choices


class ApplicationForm(forms.Form):
    purpose = forms.CharField(
        label=_("申请用途（履职需要）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    scenario_text = forms.CharField(
        label=_("应用场景"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.MultipleChoiceField(label=_("需要的信息项"), required=False, widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("使用方式"), required=False)
    end_date = forms.DateField(label=_("使用截止日期"), required=False, widget=DATE)
    unmask_requested = forms.MultipleChoiceField(
        label=_("申请不脱敏的敏感信息项"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("敏感信息项默认脱敏提供；确需原值的，请选择并在用途中说明理由。"),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices(version)
        self.fields["unmask_requested"].choices = item_choices(version, sensitive_only=True)
        self.fields["mode"].choices = [(m, Mode(m).label) for m in version.share_modes or [] if m in Mode.values]
        if version.share_type == ShareType.UNCONDITIONAL:
            self.fields["items"].help_text = _("不选则申请全部信息项。")
            self.fields["end_date"].help_text = _("不填则默认一年。")
        else:
            for name in ("scenario_text", "items", "mode", "end_date"):
                self.fields[name].required = True
        _style(self)


class ApproveForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("批准的信息项"), widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("批准的使用方式"))
    end_date = forms.DateField(label=_("批准的截止日期"), widget=DATE)
    unmasked_items = forms.MultipleChoiceField(
        label=_("同意不脱敏的信息项"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("审核意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # SECURITY.md 14.6: the provider bounds the holder's daily use; blank is the portal's default.
    daily_call_quota = forms.IntegerField(
        label=_("每日调用次数上限"), required=False, min_value=1, max_value=2_000_000_000
    )
    daily_row_quota = forms.IntegerField(
        label=_("每日获取行数上限"), required=False, min_value=1, max_value=2_000_000_000
    )

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault(
            "initial", {"items": application.items, "mode": application.mode, "end_date": application.end_date}
        )
        super().__init__(*args, **kwargs)
        version = application.entry_version
        self.fields["items"].choices = item_choices(version, set(application.items))
        allowed = NARROWER.get(application.mode, set()) & set(version.share_modes or [])
        self.fields["mode"].choices = [(m, Mode(m).label) for m in Mode.values if m in allowed]
        self.fields["unmasked_items"].choices = item_choices(version, set(application.unmask_requested))
        self.fields["daily_call_quota"].help_text = _(
            "不填则为平台默认值 %(n)s 次；每次查阅、比对、统计或获取计一次。"
        ) % {"n": setting("DAILY_CALLS")}
        self.fields["daily_row_quota"].help_text = _("不填则为平台默认值 %(n)s 行；查阅和获取返回的行数。") % {
            "n": setting("DAILY_ROWS")
        }
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CompareForm(forms.Form):
    key = forms.ChoiceField(label=_("关键信息项"))
    key_value = forms.CharField(label=_("关键信息项的值"), max_length=200)

    def __init__(self, *args, grant, version, **kwargs):
        super().__init__(*args, **kwargs)
        choices = item_choices(version, set(grant.items))
        self.fields["key"].choices = choices
        self.compare_fields = []
        for key, label in choices:
            name = f"v_{key}"
            self.fields[name] = forms.CharField(label=label, max_length=500, required=False)
            self.compare_fields.append(name)
        _style(self)

    def values(self) -> dict:
        key = self.cleaned_data["key"]
        return {
            name[2:]: self.cleaned_data[name]
            for name in self.compare_fields
            if self.cleaned_data.get(name) and name[2:] != key
        }


class StatisticsForm(forms.Form):
    group_by = forms.MultipleChoiceField(label=_("分组信息项"), required=False, widget=forms.CheckboxSelectMultiple)
    measures = forms.MultipleChoiceField(label=_("统计指标"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, grant, version, **kwargs):
        super().__init__(*args, **kwargs)
        masked = set(grant.masked_items)
        self.fields["group_by"].choices = item_choices(version, set(grant.items) - masked)
        measures = []
        for item in version.items.filter(key__in=set(grant.items) - masked, type__in=["integer", "decimal"]):
            measures += [
                (f"sum:{item.key}", _("%(n)s 合计") % {"n": item.name}),
                (f"avg:{item.key}", _("%(n)s 平均") % {"n": item.name}),
            ]
        self.fields["measures"].choices = measures

    def parsed_measures(self) -> list[tuple[str, str]]:
        return [tuple(m.split(":", 1)) for m in self.cleaned_data["measures"]]


class ObjectionForm(forms.Form):
    rows = forms.CharField(
        label=_("有异议的记录"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如身份证号、统一社会信用代码或行号"),
    )
    items = forms.MultipleChoiceField(label=_("有异议的信息项"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("异议理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices(grant.application.entry_version, set(grant.items))
        _style(self)


class AnswerForm(forms.Form):
    OUTCOMES = {
        "objection": [("confirm", _("数据无误，予以确认")), ("correct", _("数据有误，已更正"))],
        "coordination": [("agree", _("协商一致")), ("decline", _("协商未果"))],
    }
    outcome = forms.ChoiceField(label=_("结果"), widget=forms.RadioSelect)
    answer = forms.CharField(label=_("意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = self.OUTCOMES[kind]
        _style(self)


class CoordinationForm(forms.Form):
    need = forms.CharField(label=_("所需数据与履职依据"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("协调结果"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("场景名称"), max_length=100)
    description = forms.CharField(label=_("场景说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    entry = forms.ModelChoiceField(label=_("资源"), queryset=catalog_selectors.shareable_entries())
    items = forms.CharField(label=_("信息项"), help_text=_("信息项的字段代码，用逗号或空格分隔，如 id_number name"))
    modes = forms.MultipleChoiceField(label=_("使用方式"), choices=Mode.choices, widget=forms.CheckboxSelectMultiple)
    departments = forms.ModelMultipleChoiceField(
        label=_("适用部门"),
        required=False,
        queryset=Department.objects.filter(is_active=True),
        help_text=_("不选则适用于所有部门"),
    )
    max_days = forms.IntegerField(label=_("最长授权天数"), min_value=1, initial=365)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].label_from_instance = lambda e: f"{e.code} {e.published_version.name}"
        _style(self)

    def item_keys(self) -> list[str]:
        return [k for k in self.cleaned_data["items"].replace(",", " ").replace("，", " ").split() if k]

    @staticmethod
    def initial_for(scenario: Scenario) -> dict:
        return {
            "name": scenario.name,
            "description": scenario.description,
            "entry": scenario.entry,
            "items": " ".join(scenario.items),
            "modes": scenario.modes,
            "departments": list(scenario.departments.all()),
            "max_days": scenario.max_days,
            "is_active": scenario.is_active,
        }


class PolicyForm(forms.Form):
    auto_grant_unconditional = forms.BooleanField(label=_("无条件共享申请提交即授权"), required=False)
