from django import forms
from django.utils.translation import gettext_lazy as _

from portal.workdays import validate_calendar_date, validate_calendar_year, year_range


class DeadlineForm(forms.Form):
    # SECURITY.md 22.1: 9999-12-31 overflowed into a 500; the receipt date is bounded to the calendar's years.
    start = forms.DateField(
        label=_("收件日期"),
        validators=[validate_calendar_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    days = forms.IntegerField(
        label=_("工作日数"), min_value=0, max_value=365, widget=forms.NumberInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = year_range()
        self.fields["start"].widget.attrs.update(min=f"{first:04d}-01-01", max=f"{last:04d}-12-31")


class CalendarYearForm(forms.Form):
    """The year shown on the calendar page (SECURITY.md 22.2: bounded like every other calendar date)."""

    year = forms.IntegerField(label=_("年份"), validators=[validate_calendar_year])
