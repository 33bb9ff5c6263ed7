"""Forms of the detection pages: a rule's switch and numbers, the closing note of an alert."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("启用"), required=False)
    threshold = forms.IntegerField(label=_("阈值"), min_value=1, max_value=1_000_000)
    factor = forms.DecimalField(
        label=_("倍数"), min_value=Decimal("1"), max_value=Decimal("1000"), max_digits=6, decimal_places=2
    )
    window = forms.IntegerField(label=_("时间窗口"), min_value=0, max_value=100_000)
    opens_incident = forms.BooleanField(label=_("直接报告安全事件"), required=False)

    def __init__(self, data=None, *, rule=None, **kwargs):
        if rule is not None:
            kwargs["initial"] = {
                name: getattr(rule, name) for name in ("enabled", "threshold", "factor", "window", "opens_incident")
            }
        super().__init__(data, **kwargs)
        for name in ("threshold", "factor", "window"):
            self.fields[name].widget.attrs["class"] = "form-control"


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("处理说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
