"""Filters of the portal's API. SECURITY.md 14.10: `date__year=0` (also 10000, -1) reached the database
lookup and answered 500; every date filter of the calendar is bounded to the calendar's years
(portal.workdays.year_range, settings CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR) and answers 400."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from portal import workdays
from portal.models import CalendarDay


@extend_schema_field({"type": "integer", "minimum": workdays.year_range()[0], "maximum": workdays.year_range()[1]})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # a year is a whole number (NumberFilter takes "2026.5")


class CalendarDayFilter(django_filters.FilterSet):
    date__gte = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("起始日期"), validators=[workdays.validate_calendar_date]
    )
    date__lte = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("截止日期"), validators=[workdays.validate_calendar_date]
    )
    # The bounds are in the schema too (YearFilter, read at start-up), so that clients and fuzzers see them.
    date__year = YearFilter(
        field_name="date", lookup_expr="year", label=_("年份"), validators=[workdays.validate_calendar_year]
    )

    class Meta:
        model = CalendarDay
        fields = ["kind"]
