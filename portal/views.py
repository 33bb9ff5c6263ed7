"""Pages of the portal shell: home by role, open-data landing, departments, working-day calendar."""
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays
from portal.forms import DeadlineForm
from portal.models import CalendarDay
from portal.permissions import can
from portal.roles import Role
from portal.selectors import department_tree


def home(request):
    """Public visitors see the open-data landing page; signed-in users the home page of their role."""
    user = request.user
    if not user.is_authenticated:
        return open_data_home(request)
    role = user.primary_role
    from portal import inbox

    items = inbox.inbox_for(user)
    context = {"role": role, "today": timezone.localdate(), "items": items[:10], "more_items": len(items) > 10,
               "labels": inbox.labels()}
    if role == Role.BUREAU_ADMIN:
        context["missing_years"] = workdays.missing_calendar_years()
    template = f"portal/home/{role.value}.html" if role else "portal/home/no_role.html"
    return render(request, template, context)


def open_data_home(request):
    return render(request, "portal/open_data_home.html", {})


@login_required
def department_list(request):
    if not can(request.user, "portal.view_department"):
        raise PermissionDenied
    return render(request, "portal/department_list.html", {"tree": department_tree()})


@login_required
def calendar(request):
    """The bureau admin's view of the working-day calendar of one year, with a deadline calculator."""
    if not can(request.user, "portal.view_calendarday"):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    days = CalendarDay.objects.filter(date__year=year)
    source = (
        _("已录入") if year in set(workdays.CalendarYear.objects.values_list("year", flat=True))
        else _("chinese-calendar 库") if workdays.library_knows(year)
        else _("缺失：按周一至周五计算")
    )
    return render(request, "portal/calendar.html", {
        "year": year, "days": days, "source": source,
        "missing_years": workdays.missing_calendar_years(),
        "form": DeadlineForm(initial={"start": today, "days": 5}),
        "years": range(today.year - 2, today.year + 3),
    })


@login_required
def calendar_deadline(request):
    """htmx fragment: the deadline of N working days from a date."""
    form = DeadlineForm(request.GET)
    result = None
    if form.is_valid():
        start = form.cleaned_data["start"]
        days = form.cleaned_data["days"]
        deadline = workdays.add_working_days(start, days)
        result = {"deadline": deadline, "weekday": deadline.date().weekday()}
    status = 200 if form.is_valid() else 400
    return render(request, "portal/_deadline_result.html", {"form": form, "result": result}, status=status)
