"""Hostile input for the working-day calendar's date bounds (SECURITY.md 14.10, 22.1, 22.2; the rest of
SECURITY.md, hostile input is in test_hostile_input.py). Every calendar endpoint, pages and API, given year 0, -1, 1,
9999, 10000, malformed dates and huge day counts, answers 400 with a message naming what is wrong,
never 500, and records nothing in the missing-years table. The range: settings CALENDAR_FIRST_YEAR
..CALENDAR_LAST_YEAR (2004..2100), documented in SECURITY.md."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import CalendarDay, CalendarYear, MissingCalendarYear
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

RANGE = "2004 年至 2100 年"
# Dates the calendar must refuse: out of its range (within Python's years or not) and malformed.
OUT_OF_RANGE_DATES = ["0001-01-01", "9999-12-31", "2003-12-31", "2101-01-01", "5925-03-01"]
MALFORMED_DATES = [
    "0000-01-01",
    "-001-01-01",
    "10000-01-01",
    "2026-13-45",
    "2026-02-30",
    "abc",
    "",
    "2026-01-01'--",
    "９９９９-12-31",
]
OUT_OF_RANGE_MOMENTS = [
    "9999-12-31T23:00:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "2101-01-01T00:00:00+08:00",
    "2100-12-31T20:00:00-12:00",
]
YEARS = ["0", "-1", "1", "9999", "10000", "2003", "2101", "99999999999999999999", "2026.5", "abc", ""]
HUGE_DAYS = ["366", "-1", "99999999999999999999", "1e9", "abc", ""]


@pytest.fixture
def clients(db):
    made = {}
    for role in (Role.PUBLIC, Role.DEPARTMENT_STAFF, Role.BUREAU_ADMIN):
        client = Client()
        client.force_login(user_with_role(role))
        made[role] = client
    return made


@pytest.fixture(autouse=True)
def _nothing_recorded(db):
    yield
    assert not MissingCalendarYear.objects.exists(), "a hostile date put a year in the admin's warning"


def _api_error(response, field=None):
    assert response.status_code == 400, (response.status_code, response.content[:500])
    body = response.json()
    assert body["detail"] and body["code"]
    if field:
        assert body["errors"][field], body
    return body


def _messages(body) -> str:
    return json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("start", OUT_OF_RANGE_DATES + OUT_OF_RANGE_MOMENTS)
def test_the_deadline_api_refuses_a_start_outside_the_range(clients, start):
    for client in clients.values():
        body = _api_error(client.get("/api/calendar/deadline/", {"start": start, "days": "1"}), "start")
        assert RANGE in _messages(body)


@pytest.mark.parametrize("start", MALFORMED_DATES)
def test_the_deadline_api_refuses_a_malformed_start(clients, start):
    _api_error(clients[Role.DEPARTMENT_STAFF].get("/api/calendar/deadline/", {"start": start, "days": "1"}), "start")


@pytest.mark.parametrize("days", HUGE_DAYS)
def test_the_deadline_api_refuses_a_huge_or_malformed_day_count(clients, days):
    _api_error(clients[Role.PUBLIC].get("/api/calendar/deadline/", {"start": "2026-04-30", "days": days}), "days")


def test_a_deadline_past_the_last_year_is_a_400_naming_the_range(clients):
    for client in clients.values():
        body = _api_error(client.get("/api/calendar/deadline/", {"start": "2100-12-20", "days": "365"}))
        assert RANGE in body["detail"] and body["code"] == "date_out_of_range"
        response = client.get(reverse("calendar_deadline"), {"start": "2100-12-20", "days": "365"})
        assert response.status_code == 400 and RANGE in response.content.decode()


@pytest.mark.parametrize("start", OUT_OF_RANGE_DATES + MALFORMED_DATES)
def test_the_calculator_page_refuses_a_bad_start(clients, start):
    for client in clients.values():
        response = client.get(reverse("calendar_deadline"), {"start": start, "days": "1"})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    if start in OUT_OF_RANGE_DATES:
        assert RANGE in response.content.decode()


@pytest.mark.parametrize("days", HUGE_DAYS)
def test_the_calculator_page_refuses_a_huge_day_count(clients, days):
    response = clients[Role.PUBLIC].get(reverse("calendar_deadline"), {"start": "2026-04-30", "days": days})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("year", [y for y in YEARS if y])  # "": no filter
def test_the_day_list_refuses_a_year_filter_outside_the_range(clients, year):
    # SECURITY.md 14.10: date__year=0 (also 10000, -1) reached the database lookup and answered 500.
    for client in clients.values():
        _api_error(client.get("/api/calendar/days/", {"date__year": year}), "date__year")


@pytest.mark.parametrize("lookup", ["date__gte", "date__lte"])
@pytest.mark.parametrize("date", OUT_OF_RANGE_DATES + [d for d in MALFORMED_DATES if d])  # "": no filter
def test_the_day_list_refuses_a_date_filter_outside_the_range(clients, lookup, date):
    _api_error(clients[Role.DEPARTMENT_STAFF].get("/api/calendar/days/", {lookup: date}), lookup)


def test_the_day_list_answers_in_range_filters(clients):
    response = clients[Role.PUBLIC].get(
        "/api/calendar/days/", {"date__year": "2026", "date__gte": "2026-10-01", "date__lte": "2026-10-31"}
    )
    assert response.status_code == 200
    assert "2026-10-01" in response.content.decode()


@pytest.mark.parametrize(
    "date", ["0000-01-01", "0001-01-01", "9999-12-31", "2003-12-31", "2101-01-01", "2026-13-45", "2026-02-30"]
)
def test_a_day_by_date_outside_the_range_or_malformed_is_a_400_for_every_method(clients, date):
    admin = clients[Role.BUREAU_ADMIN]
    path = f"/api/calendar/days/{date}/"
    _api_error(clients[Role.PUBLIC].get(path), "date")
    _api_error(admin.put(path, json.dumps({"kind": "holiday", "name": "x"}), content_type="application/json"), "date")
    _api_error(admin.delete(path), "date")
    assert not CalendarDay.objects.filter(name="x").exists()


@pytest.mark.parametrize("year", YEARS)
def test_the_calendar_page_refuses_a_year_outside_the_range(clients, year):
    response = clients[Role.BUREAU_ADMIN].get(reverse("calendar"), {"year": year})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="calendar-error"' in body
    if year in ("0", "-1", "1", "9999", "10000", "2003", "2101"):
        assert RANGE in body


@pytest.mark.parametrize("year", [0, 1, 9999, 10000, 99999999999999999999])
def test_dismissing_a_year_outside_the_range_is_a_400(clients, year):
    response = clients[Role.BUREAU_ADMIN].post(f"/calendar/missing/{year}/dismiss/")
    assert response.status_code == 400 and RANGE in response.content.decode()


def test_a_negative_year_to_dismiss_is_no_route():
    assert Client().post("/calendar/missing/-1/dismiss/").status_code == 404


@pytest.mark.parametrize("year", ["0", "-1", "1", "9999", "10000", "2101"])
def test_the_django_admin_refuses_a_complete_year_outside_the_range(clients, year):
    response = clients[Role.BUREAU_ADMIN].post(reverse("admin:portal_calendaryear_add"), {"year": year, "source": "x"})
    assert response.status_code == 200  # the form again, with its error
    assert not CalendarYear.objects.filter(source="x").exists()


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "10000-01-01", "0000-01-01", "2101-01-01"])
def test_the_django_admin_refuses_a_calendar_day_outside_the_range(clients, date):
    response = clients[Role.BUREAU_ADMIN].post(
        reverse("admin:portal_calendarday_add"), {"date": date, "kind": "holiday", "name": "x"}
    )
    assert response.status_code == 200
    assert not CalendarDay.objects.filter(name="x").exists()
