"""P2: the inbox lists exactly what waits for the user, overdue first; a decision removes it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.services import duties, entries
from portal import inbox
from tests.catalog.factories import draft, published

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_reviewer_inbox_lists_submitted_entries_and_a_decision_removes_them(officer, reviewer, client):
    first, second = draft(officer, name="资源甲"), draft(officer, name="资源乙")
    entries.entry_submit(actor=officer, entry=first)
    entries.entry_submit(actor=officer, entry=second)
    draft(officer, name="未提交的资源")
    assert [i.title for i in inbox.inbox_for(reviewer)] == ["审核资源目录：资源甲", "审核资源目录：资源乙"]
    assert inbox.inbox_count(reviewer) == 2
    client.force_login(reviewer)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="inbox-count">2<' in body
    assert "审核资源目录：资源甲" in body  # the home page brings the inbox
    entries.entry_approve(actor=reviewer, entry=first)
    assert [i.title for i in inbox.inbox_for(reviewer)] == ["审核资源目录：资源乙"]
    assert inbox.inbox_for(officer) == []  # nothing of the reviewer's reaches the officer


def test_overdue_items_come_first_with_working_days(officer, reviewer):
    published(officer, reviewer, name="旧资源")
    newer = published(officer, reviewer, name="新资源")
    duties.duty_change_record(
        actor=reviewer,
        department=officer.department,
        kind="law",
        description="修订一",
        effective_date=dt.date(2026, 4, 30),
    )
    entries.entry_revise(actor=officer, entry=newer)
    entries.entry_submit(actor=officer, entry=newer)
    entries.entry_return(actor=reviewer, entry=newer, reasons="请补充")
    now = dt.datetime(2026, 5, 15, 10, tzinfo=SH)  # two working days after the 5-13 deadline
    items = inbox.inbox_for(officer, now=now)
    assert [i.kind for i in items] == ["catalog.duty", "catalog.duty", "catalog.returned"]
    assert items[0].overdue and items[0].days_left == -2
    assert items[-1].deadline is None


def test_filter_by_kind_and_the_api(officer, reviewer):
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_return(actor=reviewer, entry=entry, reasons="请补充")
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get("/api/inbox/").json()
    assert data["count"] == 1 and data["results"][0]["kind"] == "catalog.returned"
    assert api.get("/api/inbox/", {"kind": "catalog.duty"}).json()["count"] == 0
    assert api.get("/api/inbox/", {"kind": "nope"}).status_code == 400
