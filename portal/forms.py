from django import forms
from django.utils.translation import gettext_lazy as _


class DeadlineForm(forms.Form):
    start = forms.DateField(label=_("收件日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=365,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
