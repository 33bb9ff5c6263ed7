"""SECURITY.md 22.5: the deadline calculator says so when its count crossed a year whose official holiday
schedule nobody entered (neither the table nor chinese-calendar knows it: counted Monday to Friday),
on the page and in the API, for every role."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal import workdays
from portal.models import CalendarYear
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
CROSSING = {"start": "2026-12-28", "days": "5"}  # Mon 12-28 + 5: into 2027, beyond chinese-calendar 1.11.0
WITHIN = {"start": "2026-04-30", "days": "5"}  # Labour Day 2026, known to the library


def _signed_in(role):
    client = Client()
    client.force_login(user_with_role(role))
    return client


@pytest.mark.parametrize("role", list(Role))
def test_the_api_names_the_years_counted_without_an_official_calendar(role):
    client = _signed_in(role)
    body = client.get("/api/calendar/deadline/", CROSSING).json()
    assert body["deadline"].startswith("2027-01-04T23:59:59")
    assert body["unofficial_years"] == [2027]
    assert "2027 年的法定节假日安排尚未录入" in body["caveat"] and "仅供参考" in body["caveat"]
    body = client.get("/api/calendar/deadline/", WITHIN).json()
    assert body["unofficial_years"] == [] and body["caveat"] == ""


@pytest.mark.parametrize("role", list(Role))
def test_the_calculator_page_shows_the_caveat(role):
    client = _signed_in(role)
    response = client.get(reverse("calendar_deadline"), CROSSING)
    body = response.content.decode()
    assert response.status_code == 200 and "期限截止：2027-01-04 23:59" in body
    assert 'data-testid="deadline-caveat"' in body and "2027 年的法定节假日安排尚未录入" in body
    body = client.get(reverse("calendar_deadline"), WITHIN).content.decode()
    assert "期限截止：2026-05-11 23:59" in body and 'data-testid="deadline-caveat"' not in body


def test_the_caveat_is_in_english_for_english_users():
    response = _signed_in(Role.DEPARTMENT_STAFF).get("/api/calendar/deadline/", CROSSING, HTTP_ACCEPT_LANGUAGE="en")
    assert "official holiday schedule of 2027 has not been entered" in response.json()["caveat"]


def test_no_caveat_once_the_year_is_entered():
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    body = _signed_in(Role.PUBLIC).get("/api/calendar/deadline/", CROSSING).json()
    assert body["unofficial_years"] == [] and body["caveat"] == ""


def test_the_caveat_lists_every_guessed_year():
    estimate = workdays.estimate_deadline(dt.date(2027, 12, 20), 300)
    assert estimate.unofficial_years == (2027, 2028, 2029)
    assert "2027、2028、2029 年" in estimate.caveat
