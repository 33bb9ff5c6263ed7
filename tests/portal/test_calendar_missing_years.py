"""SECURITY.md 22.2: the bureau admin's "工作日历缺失" warning lists only years a real deadline needed (an
application, an objection, a catalog duty), never years a calculator or a read touched, and the
bureau admin can dismiss a year from it in the portal (audited; a real deadline records it again)."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portal import workdays
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.models import MissingCalendarYear
from portal.roles import Role
from portal.services.calendar import missing_year_dismiss
from sharing.models import Deadline
from sharing.services import applications as sharing_applications
from tests.factories import user_with_role
from tests.sharing import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _sharing_application_received(monkeypatch, moment):
    """A real deadline: a conditional sharing application received at `moment` (Lhasa art. 19)."""
    fake = SimpleNamespace(
        now=lambda: moment,
        localdate=lambda value=None: timezone.localdate(value or moment),
        localtime=timezone.localtime,
    )
    monkeypatch.setattr(sharing_applications, "timezone", fake)
    world = factories.world(rows=False)
    application = factories.apply(world, end_date=dt.date(moment.year + 1, 1, 31))
    return Deadline.objects.get(application=application)


@pytest.mark.parametrize("role", list(Role))
def test_the_deadline_calculator_records_no_missing_year_for_any_role(role):
    client = _signed_in(user_with_role(role))
    web = client.get(reverse("calendar_deadline"), {"start": "2090-03-01", "days": "5"})
    api = client.get("/api/calendar/deadline/", {"start": "2091-03-01", "days": "5"})
    assert web.status_code == 200 and api.status_code == 200
    assert not MissingCalendarYear.objects.exists()
    assert 2090 not in workdays.missing_calendar_years() and 2091 not in workdays.missing_calendar_years()


def test_reads_of_the_calendar_record_no_missing_year():
    workdays.is_workday(dt.date(2090, 3, 1))
    workdays.working_days_between(dt.date(2090, 3, 1), dt.date(2090, 4, 1))
    workdays.working_days_left(dt.datetime(2092, 1, 10, 23, 59, tzinfo=SH), now=dt.datetime(2091, 12, 20, tzinfo=SH))
    workdays.estimate_deadline(dt.date(2093, 12, 30), 10)
    assert not MissingCalendarYear.objects.exists()


def test_a_real_deadline_records_the_year_it_needs(monkeypatch):
    # Received Wed 2089-12-28: the 5 working days run into 2090, whose calendar nobody entered.
    deadline = _sharing_application_received(monkeypatch, dt.datetime(2089, 12, 28, 10, tzinfo=SH))
    assert timezone.localtime(deadline.due_at, SH).year == 2090
    assert MissingCalendarYear.objects.filter(year=2090).exists()
    assert 2090 in workdays.missing_calendar_years(today=dt.date(2089, 12, 28))


def test_the_bureau_admin_dismisses_a_year_on_the_calendar_page(bureau_admin):
    MissingCalendarYear.objects.create(year=2090)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau_admin)
    page = client.get(reverse("calendar"))
    body = page.content.decode()
    assert "2090" in body and 'data-testid="dismiss-2090"' in body
    this_year = timezone.localdate().year
    # this year and next are always needed: no button for them
    assert f'data-testid="dismiss-{this_year}"' not in body and f'data-testid="dismiss-{this_year + 1}"' not in body

    response = client.post(
        reverse("calendar_missing_dismiss", args=[2090]), {"csrfmiddlewaretoken": page.cookies["csrftoken"].value}
    )
    assert response.status_code == 302
    assert not MissingCalendarYear.objects.filter(year=2090).exists()
    entry = AuditEntry.objects.get(action="portal.calendar.missing_dismiss")
    assert entry.actor_id == bureau_admin.pk and entry.detail["year"] == 2090
    assert (entry.object_type, entry.object_id) == ("portal.missingcalendaryear", "2090")
    after = client.get(reverse("calendar")).content.decode()
    assert "已忽略 2090 年的日历缺失提示" in after
    assert 'data-testid="dismiss-2090"' not in after
    assert 2090 not in workdays.missing_calendar_years()
    home = client.get(reverse("home")).content.decode()
    assert "2090" not in home


def test_dismissing_needs_the_csrf_token(bureau_admin):
    MissingCalendarYear.objects.create(year=2090)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau_admin)
    assert client.post(reverse("calendar_missing_dismiss", args=[2090])).status_code == 403
    assert MissingCalendarYear.objects.filter(year=2090).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.BUREAU_ADMIN])
def test_only_the_bureau_admin_may_dismiss_a_year(role):
    MissingCalendarYear.objects.create(year=2090)
    response = _signed_in(user_with_role(role)).post(reverse("calendar_missing_dismiss", args=[2090]))
    assert response.status_code == 403
    assert MissingCalendarYear.objects.filter(year=2090).exists()
    assert AuditEntry.objects.filter(action="request.denied", detail__route="calendar_missing_dismiss").exists()
    with pytest.raises(PermissionDeniedError):
        missing_year_dismiss(actor=user_with_role(role), year=2090)


def test_this_year_and_next_cannot_be_dismissed(bureau_admin):
    next_year = timezone.localdate().year + 1
    MissingCalendarYear.objects.create(year=next_year)
    with pytest.raises(DomainError) as refused:
        missing_year_dismiss(actor=bureau_admin, year=next_year)
    assert refused.value.code == "year_required"
    response = _signed_in(bureau_admin).post(reverse("calendar_missing_dismiss", args=[next_year]))
    assert response.status_code == 400
    assert "不能忽略该提示" in response.content.decode()
    assert MissingCalendarYear.objects.filter(year=next_year).exists()


def test_a_year_not_in_the_list_or_outside_the_range_is_refused_with_a_message(bureau_admin):
    with pytest.raises(NotFoundError):
        missing_year_dismiss(actor=bureau_admin, year=2090)
    client = _signed_in(bureau_admin)
    response = client.post(reverse("calendar_missing_dismiss", args=[2090]))
    assert response.status_code == 404 and "该年度不在工作日历缺失列表中" in response.content.decode()
    response = client.post(reverse("calendar_missing_dismiss", args=[5925]))
    assert response.status_code == 400 and "2004 年至 2100 年" in response.content.decode()
    assert not AuditEntry.objects.filter(action="portal.calendar.missing_dismiss").exists()


def test_a_dismissed_year_comes_back_when_a_real_deadline_needs_it(monkeypatch, bureau_admin):
    MissingCalendarYear.objects.create(year=2090)
    missing_year_dismiss(actor=bureau_admin, year=2090)
    assert 2090 not in workdays.missing_calendar_years()
    _signed_in(bureau_admin).get("/api/calendar/deadline/", {"start": "2089-12-28", "days": "5"})
    assert 2090 not in workdays.missing_calendar_years()  # the calculator: no
    _sharing_application_received(monkeypatch, dt.datetime(2089, 12, 28, 10, tzinfo=SH))
    assert 2090 in workdays.missing_calendar_years()  # a real deadline: yes


def test_years_recorded_outside_the_range_before_the_fix_are_not_shown(bureau_admin):
    # The fuzzer's 5925 and 5926 on the demo portal.
    MissingCalendarYear.objects.bulk_create([MissingCalendarYear(year=5925), MissingCalendarYear(year=5926)])
    assert not {5925, 5926} & set(workdays.missing_calendar_years())
    body = _signed_in(bureau_admin).get(reverse("home")).content.decode()
    assert "5925" not in body and "5926" not in body


def test_the_sweeps_look_ahead_records_no_missing_year():
    """The duty and grant-expiry sweeps look a few working days ahead; that is no deadline, so a run
    at the end of a year without an official calendar adds nothing to the warning."""
    from catalog.services.duties import sweep_update_duties
    from sharing.services.grants import notify_expiring_grants

    before = set(MissingCalendarYear.objects.values_list("year", flat=True))
    moment = dt.datetime(2089, 12, 29, 10, tzinfo=SH)
    sweep_update_duties(now=moment)
    notify_expiring_grants(now=moment)
    assert set(MissingCalendarYear.objects.values_list("year", flat=True)) == before
    assert not {2089, 2090} & before
