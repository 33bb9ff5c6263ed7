"""The query of a department's usage log: which side (provider / user) and which days."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 30
MAX_DAYS = 366


class UsageQueryForm(forms.Form):
    role = forms.ChoiceField(
        label=_("查看"), choices=[("provider", _("本部门数据被使用情况")), ("user", _("本部门使用数据情况"))]
    )
    since = forms.DateField(label=_("起始日期"), required=False)
    until = forms.DateField(label=_("截止日期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("until") or timezone.localdate()
        since = cleaned.get("since") or until - dt.timedelta(days=DEFAULT_DAYS)
        if since > until:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        if (until - since).days > MAX_DAYS:
            raise forms.ValidationError(_("一次最多查询 %(days)s 天。") % {"days": MAX_DAYS})
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def since_moment(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["since"], dt.time.min))

    def until_moment(self) -> dt.datetime:
        """Exclusive: the start of the day after the last day asked for."""
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["until"] + dt.timedelta(days=1), dt.time.min))
