"""Pages of the portal shell: home by role, open-data landing, departments, working-day calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import workdays
from portal.errors import DomainError, PermissionDeniedError
from portal.forms import CalendarYearForm, DeadlineForm
from portal.models import CalendarDay
from portal.permissions import can
from portal.roles import Role
from portal.selectors import department_tree
from portal.services import calendar as calendar_service


def home(request):
    """Public visitors see the open-data landing page; signed-in users the home page of their role."""
    user = request.user
    if not user.is_authenticated:
        return open_data_home(request)
    role = user.primary_role
    from portal import inbox

    items = inbox.inbox_for(user)
    context = {
        "role": role,
        "today": timezone.localdate(),
        "items": items[:10],
        "more_items": len(items) > 10,
        "labels": inbox.labels(),
    }
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
    year_form = CalendarYearForm(request.GET) if "year" in request.GET else None
    if year_form is not None and not year_form.is_valid():
        # SECURITY.md 22.2: a year outside the calendar's range is refused, naming the range
        return _calendar_page(request, year_form=year_form, status=400)
    return _calendar_page(request, year=year_form.cleaned_data["year"] if year_form else None)


def _calendar_page(request, *, year: int | None = None, year_form=None, error: str = "", status: int = 200):
    today = timezone.localdate()
    year = year or today.year
    days = CalendarDay.objects.filter(date__year=year)
    source = (
        _("已录入")
        if year in set(workdays.CalendarYear.objects.values_list("year", flat=True))
        else _("chinese-calendar 库")
        if workdays.library_knows(year)
        else _("缺失：按周一至周五计算")
    )
    missing_years = workdays.missing_calendar_years(today)
    always = workdays.always_wanted_years(today)
    first, last = workdays.year_range()
    return render(
        request,
        "portal/calendar.html",
        {
            "year": year,
            "days": days,
            "source": source,
            "year_form": year_form,
            "error": error,
            "missing_years": missing_years,
            "dismissable_years": [y for y in missing_years if y not in always],
            "form": DeadlineForm(initial={"start": today, "days": 5}),
            "years": range(max(today.year - 2, first), min(today.year + 3, last + 1)),
        },
        status=status,
    )


@login_required
@require_POST
def calendar_missing_dismiss(request, year):
    """SECURITY.md 22.2: the bureau admin dismisses a year from the "工作日历缺失" warning."""
    try:
        calendar_service.missing_year_dismiss(actor=request.user, year=year)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as error:  # out of range, this year or next, not in the list: the page says why
        return _calendar_page(request, error=str(error.message), status=error.status_code)
    messages.success(
        request, _("已忽略 %(year)s 年的日历缺失提示；今后如有期限用到该年，将再次提示。") % {"year": year}
    )
    return redirect("calendar")


@login_required
def calendar_deadline(request):
    """htmx fragment: the deadline of N working days from a date, for any signed-in user.

    SECURITY.md 22.2: an estimate, recording no missing year; SECURITY.md 22.5: it names the years without an
    official calendar that the count crossed."""
    form = DeadlineForm(request.GET)
    result = None
    if form.is_valid():
        try:
            estimate = workdays.estimate_deadline(form.cleaned_data["start"], form.cleaned_data["days"])
        except DomainError as error:  # the deadline falls after the calendar's last year
            form.add_error("days", str(error.message))
        else:
            result = {
                "deadline": estimate.deadline,
                "weekday": estimate.deadline.date().weekday(),
                "unofficial_years": estimate.unofficial_years,
                "caveat": estimate.caveat,
            }
    status = 200 if result else 400
    return render(request, "portal/_deadline_result.html", {"form": form, "result": result}, status=status)
