"""Forms of the self-check pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secops.selfchecks.models import Finding, RiskAssessment

# Findings a risk assessment form offers to link (the newest; older ones through the API by id).
FINDING_CHOICES = 300


class MoveForm(forms.Form):
    reason = forms.CharField(
        label=_("理由或说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=200)
    scope = forms.CharField(label=_("评估范围"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.CharField(label=_("评估方法"), widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label=_("评估结论"), widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.TypedMultipleChoiceField(
        label=_("关联的自查发现"), required=False, coerce=int, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, instance: RiskAssessment | None = None, **kwargs):
        if instance is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "year": instance.year,
                "title": instance.title,
                "scope": instance.scope,
                "method": instance.method,
                "conclusion": instance.conclusion,
                "findings": [f.pk for f in instance.findings.all()],
            }
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        offered = list(Finding.objects.order_by("-created_at", "-id")[:FINDING_CHOICES])
        if instance is not None:
            offered += [f for f in instance.findings.all() if f not in offered]
        self.fields["findings"].choices = [(f.pk, f"#{f.pk} {f.subject} ({f.get_status_display()})") for f in offered]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, (forms.Select, forms.SelectMultiple)) else "form-control"
            field.widget.attrs.setdefault("class", css)
